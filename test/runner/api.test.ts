import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseRunbook, runRunbook } from '../../src/index.js';
import { fence, makeDocs } from '../support/cli.js';

const text = `# Sum\n\n${fence('ts', 'const total = 1 + 2\nconsole.log(total)')}\n${fence('text', '3', 'output')}`;

describe('parseRunbook', () => {
  it('takes a path or Markdown text', () => {
    const dir = makeDocs({ 'sum.md': text });
    const fromPath = parseRunbook(join(dir, 'sum.md'));
    const fromText = parseRunbook(text);
    expect(fromPath.path).toBe(join(dir, 'sum.md'));
    expect(fromText.path).toBe('doc.md');
    expect(fromText.blocks).toEqual(fromPath.blocks);
    expect(fromText.blocks.map((block) => [block.kind, block.line])).toEqual([['code', 4], ['output', 9]]);
  });
});

describe('runRunbook', () => {
  it('refuses a doc over maxDocSize without reading it, and runs it in an executor of its own', async () => {
    const dir = makeDocs({ 'sum.md': text, 'pid.md': fence('ts', 'console.log(process.pid)') });
    const big = await runRunbook(join(dir, 'sum.md'), { stamp: false, maxDocSize: 10 });
    expect(big).toMatchObject({ status: 'failed', blocks: [], error: { code: 'RUNBOOK_DOC_TOO_LARGE', message: `${join(dir, 'sum.md')} is ${text.length} bytes, larger than the 10 bytes limit, so runbook does not read it. Raise the limit with the maxDocSize option (--max-doc-size), or split the doc.` } });
    const pid = await runRunbook(join(dir, 'pid.md'), { stamp: false });
    expect(Number(pid.blocks[0]!.stdout)).not.toBe(process.pid);
  });

  it('with typecheck, fails a doc with type errors before anything of it runs', { timeout: 60_000 }, async () => {
    const dir = makeDocs({ 'typed.md': `${fence('ts', "require('node:fs').writeFileSync(require('node:path').join($doc.dir, 'ran.txt'), 'x')")}\n${fence('ts', "const n: number = 'x'")}` });
    const result = await runRunbook(join(dir, 'typed.md'), { stamp: false, typecheck: true });
    expect(result.status).toBe('failed');
    expect(result.blocks.map((block) => block.status)).toEqual(['not-run', 'failed']);
    expect(result.blocks[1]!.error?.code).toBe('TS2322');
    expect(existsSync(join(dir, 'ran.txt'))).toBe(false);
  });

  it('runs a doc and resolves to its result, stamping only when asked', async () => {
    const dir = makeDocs({ 'sum.md': text });
    const path = join(dir, 'sum.md');
    const result = await runRunbook(path, { stamp: false });
    expect(result).toMatchObject({ path, title: 'Sum', status: 'passed', stamped: false });
    expect(result.blocks).toMatchObject([{ index: 0, status: 'passed', stdout: '3\n' }]);
    expect(readFileSync(path, 'utf8')).toBe(text);
    const stamped = await runRunbook(path);
    expect(stamped.stamped).toBe(true);
    expect(readFileSync(path, 'utf8')).toMatch(/^---\nlastTested: .+\nlastTestPassed: true\n---\n/);
  });

  it('refuses bad options before running anything', async () => {
    await expect(runRunbook('missing.md', { timeout: -1 })).rejects.toThrow("Invalid options for runRunbook: 'timeout': Too small: expected number to be >0, got -1 (number).");
    await expect(runRunbook('missing.md', { stamps: false } as never)).rejects.toThrow("Invalid options for runRunbook: unknown option 'stamps'.");
  });
});
