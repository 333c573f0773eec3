import { describe, expect, it } from 'vitest';
import { docResult, fence, makeDocs, runJson } from '../support/cli.js';

// With --jobs 1 every doc goes to the same executor while it stays clean. What a
// doc may change in the process must be put back before the next doc, or the
// executor replaced: process.pid tells which happened.
describe('an executor takes the next doc only when it is clean', () => {
  it('puts back env, cwd, process listeners and globals; replaces itself after a patched built-in', async () => {
    const dir = makeDocs({
      'a-changes.md': fence(
        'ts',
        "process.env.LEAKED_BY_A = 'yes'\ndelete process.env.HOME\nprocess.chdir('/')\nprocess.on('warning', () => {})\n;(globalThis as Record<string, unknown>).leakedGlobal = 1\nvar declared = 2\nconsole.log(process.pid)",
      ),
      'b-looks.md': fence(
        'ts',
        "console.log(process.env.LEAKED_BY_A, typeof process.env.HOME, process.cwd() === $doc.dir || process.cwd() !== '/', process.listenerCount('warning'), typeof leakedGlobal, typeof declared)\nconsole.log(process.pid)",
      ),
      'c-patches.md': fence('ts', "Array.prototype.includes = () => true\nconsole.log(process.pid)"),
      'd-looks.md': fence('ts', 'console.log([1].includes(2))\nconsole.log(process.pid)'),
    });
    const { code, report } = await runJson(dir, ['a-changes.md', 'b-looks.md', 'c-patches.md', 'd-looks.md'], ['--jobs', '1', '--no-stamp']);
    const out = (path: string) => docResult(report, path).blocks[0]!.stdout.trim().split('\n');
    expect(code).toBe(0);
    const [pidA] = out('a-changes.md');
    const [looks, pidB] = out('b-looks.md');
    // 1: Node's own 'warning' listener, not the one doc A added.
    expect(looks).toBe('undefined string true 1 undefined undefined');
    expect(pidB).toBe(pidA);
    const [pidC] = out('c-patches.md');
    expect(pidC).toBe(pidA);
    const [includes, pidD] = out('d-looks.md');
    expect(includes).toBe('false');
    expect(pidD).not.toBe(pidC);
    expect(report.docs.flatMap((doc) => doc.warnings)).toEqual([]);
  });

  it('a doc that replaced process.nextTick for a while does not stall the next doc in its executor', async () => {
    // Node calls back through process.nextTick when a message to the supervisor is written: those
    // calls were lost, and the next doc waited for them until --timeout.
    const dir = makeDocs({
      'a-ticks.md': [fence('ts', 'const tick = process.nextTick\nprocess.nextTick = () => {}'), fence('ts', "console.log('printed meanwhile')"), fence('ts', 'process.nextTick = tick\nconsole.log(process.pid)')].join('\n'),
      'b-next.md': fence('ts', 'console.log(process.pid)'),
    });
    const { report, code } = await runJson(dir, ['a-ticks.md', 'b-next.md'], ['--no-stamp', '--jobs', '1', '--timeout', '5000']);
    expect(code).toBe(0);
    const pidOf = (path: string) => docResult(report, path).blocks.at(-1)!.stdout;
    expect(docResult(report, 'b-next.md').status).toBe('passed');
    expect(pidOf('b-next.md')).toBe(pidOf('a-ticks.md')); // the same executor: nothing was left changed
  });
});
