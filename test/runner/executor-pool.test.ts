import { realpathSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { describe, expect, it } from 'vitest';
import type { RunResult } from '../../src/runner/results.js';
import { docResult, fence, makeDocs, runJson } from '../support/cli.js';

// Executor reuse, observed from outside: every doc prints process.pid. What a
// doc changed that can be put back (env, cwd) is put back; an executor a doc
// left changed beyond that (faulted, timed out, patched a built-in) never runs
// another doc; clean executors are reused.

const printPid = fence('ts', 'console.log(process.pid)');

// Put back after the doc: the executor may run another.
const restorable: Record<string, string> = {
  'a-env-require.md': `# Env through require\n\n${printPid}\n${fence('ts', "require('node:process').env.RUNBOOK_POOL_TEST = 'require'")}`,
  'a-env-import.md': `# Env through import\n\n${printPid}\n${fence('ts', "import realProcess from 'node:process'\nrealProcess.env.RUNBOOK_POOL_TEST = 'import'")}`,
  'a-env-delete.md': `# Env deleted\n\n${printPid}\n${fence('ts', 'delete process.env.NO_COLOR')}`,
  'a-chdir.md': `# Real chdir\n\n${printPid}\n${fence('ts', "process.chdir('/')")}`,
};

// Not put back: the executor is replaced.
const dirtying: Record<string, string> = {
  'a-exit.md': `# Exit refused\n\n${printPid}\n${fence('ts', 'process.exit(0)')}`,
  'a-patch.md': `# Patches a built-in\n\n${printPid}\n${fence('ts', "JSON.stringify = () => 'patched'")}`,
  // The executor's own check must not run through the patch (it once pushed its findings nowhere).
  'a-push.md': `# Patches Array.prototype.push\n\n${printPid}\n${fence('ts', 'Array.prototype.push = () => 0')}`,
  'a-spin.md': `# Spins\n\n${printPid}\n${fence('ts', 'while (true) {}')}`,
  'a-wait.md': `# Waits\n\n${printPid}\n${fence('ts', 'await new Promise(() => {})')}`,
};

const healthy = (name: string) =>
  `# ${name}\n\n${fence('ts', "console.log(process.pid)\nconsole.log(JSON.stringify({ env: require('node:process').env.RUNBOOK_POOL_TEST ?? null, noColor: require('node:process').env.NO_COLOR ?? null, cwd: require('node:process').cwd() }))")}`;

function pidOf(report: RunResult, path: string): number {
  const first = docResult(report, path).blocks[0]!;
  expect(first.status).toBe('passed');
  return Number(first.stdout.split('\n')[0]);
}

describe('executor reuse (real CLI, --jobs 2)', () => {
  it('a doc that left its executor changed (exit, timeout, a patched built-in) never shares it with a later doc', async () => {
    const docs: Record<string, string> = { ...restorable, ...dirtying };
    const healthyNames = ['b-ok.md', 'c-ok.md', 'd-ok.md', 'e-ok.md', 'f-ok.md', 'g-ok.md'];
    for (const name of healthyNames) docs[name] = healthy(name);
    const dir = makeDocs(docs);
    const { report, code } = await runJson(dir, Object.keys(docs), ['--jobs', '2', '--timeout', '300', '--no-stamp'], { env: { NO_COLOR: '1' }, timeoutMs: 30_000 });
    expect(code).toBe(1);

    const statuses = Object.fromEntries(report.docs.map((doc) => [doc.path, doc.status]));
    expect(statuses).toEqual({
      'a-chdir.md': 'passed',
      'a-env-delete.md': 'passed',
      'a-env-import.md': 'passed',
      'a-env-require.md': 'passed',
      'a-exit.md': 'failed',
      'a-patch.md': 'passed',
      'a-push.md': 'passed',
      'a-spin.md': 'failed',
      'a-wait.md': 'failed',
      ...Object.fromEntries(healthyNames.map((name) => [name, 'passed'])),
    });
    // Whatever ran before it, no two of these can have run in one executor.
    const dirtyPids = Object.keys(dirtying).map((name) => pidOf(report, name));
    expect(new Set(dirtyPids).size).toBe(dirtyPids.length);
    expect(dirtyPids.every((pid) => Number.isInteger(pid) && pid > 0)).toBe(true);

    // And none of the changes reached a doc run after it.
    for (const name of healthyNames) {
      const lines = docResult(report, name).blocks[0]!.stdout.split('\n');
      expect(JSON.parse(lines[1]!)).toEqual({ env: null, noColor: '1', cwd: realpathSync(dir) });
    }
  });

  it('executors whose docs left them as they were are reused', async () => {
    const names = ['h1.md', 'h2.md', 'h3.md', 'h4.md', 'h5.md', 'h6.md'];
    const dir = makeDocs(Object.fromEntries(names.map((name) => [name, healthy(name)])));
    const { report, code } = await runJson(dir, names, ['--jobs', '2', '--no-stamp'], { env: { NO_COLOR: '1' } });
    expect(code).toBe(0);
    const pids = new Set(names.map((name) => pidOf(report, name)));
    expect(pids.size).toBeLessThanOrEqual(2);
  });
});

describe('the default schedule (real CLI, no --jobs)', () => {
  const printing = (count: number) => Object.fromEntries(Array.from({ length: count }, (_, i) => [`p${String(i).padStart(2, '0')}.md`, `# Doc ${i}\n\n${printPid}`]));

  it('a short run keeps to one executor', async () => {
    const docs = printing(3);
    const dir = makeDocs(docs);
    const { report, code } = await runJson(dir, Object.keys(docs), ['--no-stamp']);
    expect(code).toBe(0);
    expect(new Set(Object.keys(docs).map((name) => pidOf(report, name))).size).toBe(1);
  });

  it.skipIf(availableParallelism() < 2)('a run of 50 docs takes one executor per core from its first doc on', async () => {
    const docs = printing(50);
    const dir = makeDocs(docs);
    const { report, code } = await runJson(dir, Object.keys(docs), ['--no-stamp'], { timeoutMs: 60_000 });
    expect(code).toBe(0);
    // The first two docs start together, one in each of the first two executors.
    expect(pidOf(report, 'p00.md')).not.toBe(pidOf(report, 'p01.md'));
    expect(new Set(Object.keys(docs).map((name) => pidOf(report, name))).size).toBe(Math.min(availableParallelism(), 50));
  });
});
