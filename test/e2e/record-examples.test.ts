import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { startScriptedOpenAI } from '../support/scripted-openai-server.js';

const repo = fileURLToPath(new URL('../..', import.meta.url));
/** The example docs that talk to a model; their recordings are committed beside them. */
export const llmExampleDocs = ['conversation.md', 'structured-output.md', 'assistant-tools.md'];

// Not a test of behaviour: re-records the examples' LLM exchanges against the
// scripted server. Run with RUNBOOK_RECORD_EXAMPLES=1 after changing those docs.
describe.skipIf(!process.env.RUNBOOK_RECORD_EXAMPLES)('re-record docs/examples LLM recordings', () => {
  it('records each LLM example against the scripted server', { timeout: 120_000 }, async () => {
    const server = await startScriptedOpenAI();
    try {
      const docs = llmExampleDocs.map((name) => join('docs/examples', name));
      const result = await new Promise<{ code: number | null; out: string }>((resolve) => {
        const child = spawn(process.execPath, ['bin/runbook.js', 'run', ...docs, '--llm', 'record', '--no-stamp', '--reporter', 'pretty'], {
          cwd: repo,
          env: { ...process.env, NO_COLOR: '1', OPENAI_API_KEY: 'sk-scripted-server-needs-no-real-key', OPENAI_BASE_URL: server.baseURL },
        });
        let out = '';
        child.stdout.on('data', (chunk: Buffer) => (out += chunk));
        child.stderr.on('data', (chunk: Buffer) => (out += chunk));
        const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
        child.on('close', (code) => {
          clearTimeout(timer);
          resolve({ code, out });
        });
      });
      expect(result.out).toContain(`docs: ${docs.length} passed, 0 failed, 0 skipped`);
    } finally {
      await server.close();
    }
  });
});
