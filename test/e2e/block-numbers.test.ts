import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { RunResult } from '../../src/runner/results.js';
import { parseTap } from '../runner/reporters/mini-tap.js';
import { childrenNamed, parseXml } from '../runner/reporters/mini-xml.js';
import { fence, makeDocs, runCli, type CliResult } from '../support/cli.js';

// Block numbers count code and shell blocks only: the output fence and the
// json fence below are not blocks, so the failing block is "block 4" in every
// report although it is the doc's sixth fence.
const doc = [
  '# Numbers\n',
  fence('ts', "console.log('one')"), // line 3: block 1
  fence('text', 'one', 'output'), // line 7: not a block
  fence('json', '{ "prose": true }'), // line 11: not a block
  fence('ts', 'const second = 2'), // line 15: block 2
  fence('sh', 'echo not opted in'), // line 19: block 3, skipped
  fence('ts', 'const o: any = undefined\no.boom'), // line 23: block 4, fails
].join('\n');
const boom = "TypeError: Cannot read properties of undefined (reading 'boom')";
const labels = ['block 1 (ts, line 3)', 'block 2 (ts, line 15)', 'block 3 (sh, line 19)', 'block 4 (ts, line 23)'];

describe('block numbers across reporters (real CLI)', () => {
  let dir = '';
  let files: CliResult;
  let pretty: CliResult;
  let literate: CliResult;
  let github: CliResult;

  beforeAll(async () => {
    dir = makeDocs({ 'numbers.md': doc });
    const run = (args: string[]) => runCli(['run', 'numbers.md', '--no-stamp', ...args], { cwd: dir });
    [files, pretty, literate, github] = await Promise.all([
      run(['--reporter', 'json', '--reporter', 'junit', '--reporter', 'tap', '--output-file', 'json:out.json', '--output-file', 'junit:out.xml', '--output-file', 'tap:out.tap']),
      run(['--reporter', 'pretty']),
      run(['--reporter', 'literate']),
      run(['--reporter', 'github']),
    ]);
  }, 60_000);

  it('json: each block has its number beside its index among all fences', () => {
    expect(files.code).toBe(1);
    const report = JSON.parse(readFileSync(join(dir, 'out.json'), 'utf8')) as RunResult;
    expect(report.docs[0]!.blocks.map((b) => [b.number, b.index, b.line, b.status])).toEqual([
      [1, 0, 3, 'passed'],
      [2, 3, 15, 'passed'],
      [3, 4, 19, 'skipped'],
      [4, 5, 23, 'failed'],
    ]);
  });

  it('junit: testcases are named by block number', () => {
    const suite = childrenNamed(parseXml(readFileSync(join(dir, 'out.xml'), 'utf8')), 'testsuite')[0]!;
    expect(childrenNamed(suite, 'testcase').map((c) => c.attrs.name)).toEqual(labels);
  });

  it('tap: test points are numbered and named by block number', () => {
    const subtest = parseTap(readFileSync(join(dir, 'out.tap'), 'utf8')).points[0]!.subtest!;
    expect(subtest.points.map((p) => [p.id, p.description])).toEqual(labels.map((label, i) => [i + 1, label]));
  });

  it('pretty: the failure is block 4', () => {
    expect(pretty.code).toBe(1);
    expect(pretty.stdout).toContain(`  block 4 (ts, line 23) failed:\n    numbers.md:25:3 ${boom}`);
  });

  it('literate: each block is shown under its number', () => {
    expect(literate.code).toBe(1);
    const headers = literate.stdout.split('\n').filter((line) => line.startsWith('┌'));
    expect(headers).toEqual(['┌ block 1 · ts · line 3', '┌ block 2 · ts · line 15', '┌ block 3 · sh · line 19', '┌ block 4 · ts · line 23']);
  });

  it('github: the annotation names block 4', () => {
    expect(github.stdout.split('\n')[0]).toBe(`::error file=numbers.md,line=25,col=3,title=runbook%3A block 4 failed::${boom}`);
  });

  it('list: blocks are counted and numbered the same way', async () => {
    const [json, table] = await Promise.all([runCli(['list', 'numbers.md', '--json'], { cwd: dir }), runCli(['list', 'numbers.md'], { cwd: dir })]);
    const [listing] = JSON.parse(json.stdout) as { blocks: { number: number; runs: boolean }[] }[];
    expect(listing!.blocks.map((b) => [b.number, b.runs])).toEqual([
      [1, true],
      [2, true],
      [3, false],
      [4, true],
    ]);
    expect(table.stdout.split('\n')[1]).toMatch(/^numbers\.md +Numbers +- +4 +3 of 4: 1, 2, 4 +never$/);
  });
});
