import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';

const preload = fileURLToPath(new URL('../../bench/compare/retained-heap.cjs', import.meta.url));
const MiB = 1024 * 1024;
const dirs: string[] = [];

afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** Runs `code` with the preload and returns what it logged: [role, bytes] per line. */
function retained(code: string): [string, number][] {
  const dir = mkdtempSync(join(tmpdir(), 'runbook-heap-'));
  dirs.push(dir);
  const log = join(dir, 'heap.log');
  const run = spawnSync(process.execPath, ['--require', preload, '-e', code], { env: { ...process.env, RUNBOOK_BENCH_HEAP_LOG: log }, encoding: 'utf8' });
  expect(run.status, run.stderr).toBe(0);
  return readFileSync(log, 'utf8')
    .trim()
    .split('\n')
    .map((line) => line.split(' '))
    .map(([role, , bytes]) => [role!, Number(bytes)]);
}

describe("the bench's retained-heap preload", () => {
  it('says what a process still holds after a full collection as it exits, not the garbage it made', () => {
    const garbage = retained('for (let i = 0; i < 10; i++) new Array(1e6).fill(i)');
    const kept = retained('globalThis.kept = new Array(4e6).fill(1)');
    expect(garbage).toHaveLength(1);
    expect(garbage[0]![0]).toBe('supervisor');
    expect(garbage[0]![1]).toBeLessThan(16 * MiB);
    expect(kept[0]![1] - garbage[0]![1]).toBeGreaterThan(28 * MiB); // 4e6 doubles
  });

  it('does nothing without RUNBOOK_BENCH_HEAP_LOG', () => {
    const run = spawnSync(process.execPath, ['--require', preload, '-e', 'console.log(typeof gc)'], { env: { ...process.env, RUNBOOK_BENCH_HEAP_LOG: '' }, encoding: 'utf8' });
    expect(run.stdout).toBe('undefined\n');
  });
});
