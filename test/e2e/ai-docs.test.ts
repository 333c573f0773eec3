import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { seedDir } from '../support/seed.js';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { startScriptedOpenAI } from '../support/scripted-openai-server.js';

const repo = fileURLToPath(new URL('../..', import.meta.url));
const cli = join(repo, 'bin/runbook.js');
const seed = seedDir();
const seedDocs = ['structured-output-with-assistants.md', 'assistant-with-process-manager.md'];
const scratch = mkdtempSync(join(tmpdir(), 'runbook-ai-docs-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const apiKey = 'sk-e2e-test-key-0123456789abcdef';

// Async on purpose: the scripted server lives in this process and must keep answering.
function runCli(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [cli, ...args], { cwd: scratch, env: { ...process.env, NO_COLOR: '1', CI: '', RUNBOOK_LLM: '', ...env } });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk));
    child.stderr.on('data', (chunk: Buffer) => (out += chunk));
    // A hung run must fail with its output, not time the whole test out.
    const timer = setTimeout(() => child.kill('SIGKILL'), 50_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      if (process.env.RUNBOOK_E2E_DEBUG) process.stderr.write(out);
      resolve({ code, out });
    });
  });
}

// In CI the seed is always beside the checkout: missing there is a failure, not a skip.
describe.skipIf(!existsSync(seed) && !process.env.CI)('the seed AI docs, unmodified', () => {
  it('run against the scripted server with --llm record, then offline with --llm replay', { timeout: 120_000 }, async () => {
    for (const name of seedDocs) copyFileSync(join(seed, name), join(scratch, name));
    const server = await startScriptedOpenAI({ apiKey });
    let recorded: { code: number | null; out: string };
    try {
      recorded = await runCli(['run', ...seedDocs, '--llm', 'record', '--reporter', 'pretty'], { OPENAI_API_KEY: apiKey, OPENAI_BASE_URL: server.baseURL });
    } finally {
      await server.close();
    }
    expect(recorded.out).toContain('docs: 2 passed, 0 failed, 0 skipped');
    expect(recorded.code).toBe(0);
    for (const name of seedDocs) expect(readFileSync(join(scratch, name), 'utf8')).toMatch(/\nlastTestPassed: true\r?\n/);
    const bodies = server.requests.map((r) => r.body);
    expect(bodies.filter((b) => b.response_format?.type === 'json_schema').map((b) => b.response_format?.json_schema?.name)).toEqual([
      'CompanyInfo',
      'SentimentAnalysis',
      'ReleaseAnalysis',
      'CodeReview',
    ]);
    const toolResults = bodies.flatMap((b) => b.messages.filter((m) => m.role === 'tool'));
    expect(toolResults.length).toBeGreaterThanOrEqual(8);
    const called = new Set(bodies.flatMap((b) => b.messages.flatMap((m) => m.tool_calls ?? []).map((c) => c.function.name)));
    expect([...called].sort()).toEqual(['getProcessOutput', 'killProcess', 'listProcesses', 'runCommand', 'spawnProcess']);
    for (const name of seedDocs) {
      const recording = readFileSync(join(scratch, '__recordings__', name.replace('.md', '.llm.json')), 'utf8');
      expect(recording).not.toContain(apiKey);
    }
    expect(recorded.out).not.toContain(apiKey);

    const replayed = await runCli(['run', ...seedDocs, '--llm', 'replay', '--reporter', 'pretty'], { OPENAI_API_KEY: '', OPENAI_BASE_URL: 'http://127.0.0.1:9/v1' });
    expect(replayed.out).toContain('docs: 2 passed, 0 failed, 0 skipped');
    expect(replayed.code).toBe(0);

    // auto picks the recordings too, even under CI with no key.
    const auto = await runCli(['run', ...seedDocs, '--reporter', 'pretty', '--no-stamp'], { OPENAI_API_KEY: '', CI: 'true' });
    expect(auto.out).toContain('docs: 2 passed, 0 failed, 0 skipped');
  });
});

describe('a doc that needs an LLM, with no key and no recording', () => {
  it('is skipped with the reason, not failed, and not stamped', { timeout: 60_000 }, async () => {
    const doc = join(scratch, 'needs-llm.md');
    const text = '# Needs a model\n\n```ts\nconst chat = container.feature(\'conversation\', {})\nawait chat.ask(\'hello\')\n```\n';
    writeFileSync(doc, text);
    const run = await runCli(['run', 'needs-llm.md', '--reporter', 'pretty'], { OPENAI_API_KEY: '' });
    expect(run.out).toContain('docs: 0 passed, 0 failed, 1 skipped');
    expect(run.out).toContain('needs an LLM: OPENAI_API_KEY is not set and there is no recording at __recordings__/needs-llm.llm.json. To record one, run: npx runbook run needs-llm.md --llm record');
    expect(run.code).toBe(0);
    expect(readFileSync(doc, 'utf8')).toBe(text);
  });
});
