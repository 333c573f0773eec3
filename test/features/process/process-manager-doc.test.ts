// End to end: the real CLI (bin/runbook.js, which runs dist/: `npm test` builds it first).
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { processesWith, uniqueMarker, waitUntil } from '../helpers/processes.js';

const root = fileURLToPath(new URL('../../..', import.meta.url));

function runCli(args: string[], env: NodeJS.ProcessEnv = {}) {
  const child = spawn(process.execPath, ['bin/runbook.js', ...args], { cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const output = { stdout: '', stderr: '' };
  child.stdout.on('data', (chunk) => (output.stdout += chunk));
  child.stderr.on('data', (chunk) => (output.stderr += chunk));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('close', (code, signal) => resolve({ code, signal })));
  return { child, output, exited };
}

describe('processManager through the runbook CLI', () => {
  it('docs/examples/process-manager.md passes, reports its cleanup and leaves nothing running', async () => {
    const { output, exited } = runCli(['run', 'docs/examples/process-manager.md', '--no-stamp', '--reporter', 'literate']);
    const { code } = await exited;
    expect(output.stderr).toBe('');
    expect(code).toBe(0);
    expect(output.stdout).toContain('cleaned up: 1 process');
    const marker = /our sleeps use the marker (\d+\.5)\b/.exec(output.stdout)?.[1];
    expect(marker).toMatch(/^\d+\.5$/);
    expect(processesWith(`sleep ${marker}`)).toEqual([]);
  });

  it('SIGTERM to the CLI mid-doc kills the grandchildren, and the CLI still ends as interrupted', async () => {
    const marker = uniqueMarker();
    const { child, output, exited } = runCli(['run', 'test/features/process/fixtures/pm-hang.md', '--no-stamp'], { PM_MARKER: marker });
    await waitUntil(() => processesWith(marker).length >= 3, 15_000, `the doc's sleeps (output so far: ${output.stdout}${output.stderr})`);
    child.kill('SIGTERM');
    // The CLI either dies of the signal or exits with 128 + 15, by the shell convention.
    const { code, signal } = await exited;
    expect(signal === 'SIGTERM' || code === 143, `code ${code}, signal ${signal}`).toBe(true);
    await waitUntil(() => processesWith(marker).length === 0, 5000, 'the sleeps to be gone');
  });
});
