import { describe, expect, it } from 'vitest';
import { docResult, fence, makeDocs, runJson } from '../support/cli.js';

// What a doc can reach in its executor must not let it fake its result, dodge its
// deadline, slip output past its block, or hand a changed process to the next doc.
describe('a doc cannot fake the run', () => {
  it('messages a doc sends with process.send are not the executor’s; raw fd writes are its block’s; a changed umask retires the executor', { timeout: 60_000 }, async () => {
    const dir = makeDocs({
      'a-fake-done.md': fence('js', "process.send({ type: 'done', result: { path: 'a-fake-done.md', title: 'Fake', tags: [], status: 'passed', durationMs: 1, blocks: [], cleanedUp: [], stamped: false, warnings: [] }, ranAny: true, stopped: false, dirty: [] })\nthrow new Error('really failed')"),
      'b-dodge.md': fence('js', "process.send({ type: 'block-start', index: 0, timeoutMs: 2000000000, announce: false })\nwhile (true) {}", 'timeout=500'),
      'c-fd.md': fence('js', "require('node:fs').writeSync(1, 'fd1\\n')\nrequire('node:fs').writeSync(2, 'fd2\\n')"),
      'd-umask.md': fence('js', 'process.umask(0o077)\nconsole.log(process.pid)'),
      'e-innocent.md': fence('js', 'console.log(process.pid)'),
    });
    const { code, report } = await runJson(dir, ['a-fake-done.md', 'b-dodge.md', 'c-fd.md', 'd-umask.md', 'e-innocent.md'], ['--no-stamp', '--jobs', '1'], { timeoutMs: 40_000 });
    expect(code).toBe(1);
    expect(report.docs.map((doc) => doc.path)).toEqual(['a-fake-done.md', 'b-dodge.md', 'c-fd.md', 'd-umask.md', 'e-innocent.md']);
    expect(docResult(report, 'a-fake-done.md').blocks.map((block) => [block.status, block.error?.message])).toEqual([['failed', 'really failed']]);
    expect(docResult(report, 'b-dodge.md').blocks.map((block) => block.status)).toEqual(['timed-out']);
    expect(docResult(report, 'c-fd.md').blocks.map((block) => [block.stdout, block.stderr])).toEqual([['fd1\n', 'fd2\n']]);
    const umaskPid = docResult(report, 'd-umask.md').blocks[0]!.stdout;
    const innocent = docResult(report, 'e-innocent.md');
    expect(innocent.status).toBe('passed');
    expect(innocent.blocks[0]!.stdout).not.toBe(umaskPid);
  });
});
