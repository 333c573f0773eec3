import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { cliPath, docResult, fence, makeDocs, runJson } from '../support/cli.js';

// An executor tells the supervisor of the blocks that run within one turn of
// its event loop all at once (src/runner/executor/supervisor-channel.ts), and
// writes each block's start and end to its progress register
// (src/runner/progress-register.ts). Whatever happens to the executor, no
// block may be lost or blamed wrongly, and a block's output shows as it comes.

const summary = (report: Awaited<ReturnType<typeof runJson>>['report'], path: string) =>
  docResult(report, path).blocks.map((block) => ({ line: block.line, status: block.status, value: block.value, code: block.error?.code }));

describe('blocks reported in batches (real CLI)', () => {
  it('an executor killed mid-doc keeps the results of the blocks before, sent or not', async () => {
    const blocks = ['const a = 40', 'a + 2', 'const quiet = a', "process.kill(process.pid, 'SIGKILL')", 'a'];
    const dir = makeDocs({ 'crash.md': ['# Crash', '', ...blocks.map((code) => fence('ts', code))].join('\n') });
    const { report, code } = await runJson(dir, ['crash.md'], ['--no-stamp']);
    expect(code).toBe(1);
    expect(summary(report, 'crash.md')).toEqual([
      { line: 3, status: 'passed', value: undefined, code: undefined },
      { line: 7, status: 'passed', value: '42', code: undefined },
      { line: 11, status: 'passed', value: undefined, code: undefined },
      { line: 15, status: 'failed', value: undefined, code: 'RUNBOOK_EXECUTOR_LOST' },
      { line: 19, status: 'not-run', value: undefined, code: undefined },
    ]);
    expect(docResult(report, 'crash.md').blocks[3]!.error!.location).toBe('crash.md:16:1');
  });

  it('a block that never gives control back is blamed, after silent blocks that passed', async () => {
    const doc = ['# Spin', '', fence('ts', 'const a = 1'), fence('ts', 'const b = a + 1\nb'), fence('ts', 'while (true) {}'), fence('ts', "['clean', 'ed'].join('')", 'always')].join('\n');
    const dir = makeDocs({ 'spin.md': doc });
    const started = performance.now();
    const { report, code } = await runJson(dir, ['spin.md'], ['--no-stamp', '--timeout', '400']);
    expect(code).toBe(1);
    expect(summary(report, 'spin.md')).toEqual([
      { line: 3, status: 'passed', value: undefined, code: undefined },
      { line: 7, status: 'passed', value: '2', code: undefined },
      { line: 12, status: 'timed-out', value: undefined, code: 'RUNBOOK_BLOCK_TIMEOUT' },
      { line: 16, status: 'passed', value: "'cleaned'", code: undefined },
    ]);
    // Its limit and the kill grace (1 s), not a limit counted from some later moment.
    expect(performance.now() - started).toBeLessThan(1400 + 4000);
  });

  it('a long doc whose block never gives control back is stopped at its block’s limit', async () => {
    // The doc is larger than the socket takes at once: the executor waits until the supervisor has it
    // before any block runs. It did not, and the supervisor, knowing neither the doc nor its limits,
    // waited for --timeout.
    const prose = Array.from({ length: 12_000 }, (_, i) => `Line ${i} of prose, enough of them to fill the socket between the processes.`);
    const dir = makeDocs({ 'long.md': ['# Long', '', ...prose, '', fence('ts', 'while (true) {}', 'timeout=300')].join('\n') });
    const started = performance.now();
    const { report, code } = await runJson(dir, ['long.md'], ['--no-stamp', '--timeout', '60000']);
    expect(code).toBe(1);
    expect(summary(report, 'long.md')).toEqual([{ line: prose.length + 4, status: 'timed-out', value: undefined, code: 'RUNBOOK_BLOCK_TIMEOUT' }]);
    expect(performance.now() - started).toBeLessThan(15_000);
  });

  it('a doc that closes the register’s descriptor still gets every block reported', async () => {
    const doc = ['# Closer', '', fence('ts', "require('node:fs').closeSync(9)"), fence('ts', '1 + 1'), fence('ts', "console.log('after')")].join('\n');
    const dir = makeDocs({ 'closer.md': doc });
    const { report, code } = await runJson(dir, ['closer.md'], ['--no-stamp']);
    expect(code).toBe(0);
    expect(docResult(report, 'closer.md').blocks.map((block) => [block.status, block.value ?? block.stdout])).toEqual([
      ['passed', ''],
      ['passed', '2'],
      ['passed', 'after\n'],
    ]);
  });

  it('what a long synchronous block prints shows while it runs, not when it ends', async () => {
    const busy = "console.log('first')\nconst until = Date.now() + 1500\nwhile (Date.now() < until) {}\nconsole.log('second')";
    // The first block prints too: the reporter's first output (it loads a highlighter) is then behind us.
    const dir = makeDocs({ 'busy.md': ['# Busy', '', fence('ts', "console.log('ready')"), fence('ts', 'const quiet = true'), fence('ts', busy)].join('\n') });
    const child = spawn(process.execPath, [cliPath, 'run', 'busy.md', '--no-stamp', '--reporter', 'literate'], { cwd: dir, env: { ...process.env, NO_COLOR: '1' } });
    const seen: Record<string, number> = {};
    let stdout = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
      for (const line of ['│ first', '│ second']) if (stdout.includes(line)) seen[line] ??= performance.now();
    });
    const code = await new Promise((resolve) => child.on('close', resolve));
    expect(code).toBe(0);
    expect(seen['│ second']! - seen['│ first']!).toBeGreaterThan(1000);
  });
});
