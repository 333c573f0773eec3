import { inspect } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import type { RunResult } from '../../src/runner/results.js';
import { docResult, fence, makeDocs, runJson } from '../support/cli.js';
import { checkBlock, expectedCheck, replCases, type ReplCase } from '../support/repl-await-cases.js';

// How the reporter shows a value (see run-doc.ts).
const shownInReport = (value: unknown): string | undefined => (value === undefined ? undefined : inspect(value, { depth: 4, breakLength: 100 }));

// The arrow function's value shows as a function, not by name.
const expectedValue = (testCase: ReplCase): string | undefined =>
  testCase.value === 'function ' ? '[AsyncFunction (anonymous)]' : shownInReport(testCase.value);

// One doc holding every case: a block deleting the names the cases use, what the case is given, the input, the check.
function tableDoc(lang: string): { text: string; inputBlock: number[] } {
  const names = [...new Set(replCases.flatMap((c) => [...Object.keys(c.declares ?? {}), ...(c.absent ?? [])]))];
  const reset = `for (const name of ${JSON.stringify(names)}) delete (globalThis as any)[name]`;
  const blocks: string[] = [];
  const inputBlock: number[] = [];
  for (const testCase of replCases) {
    blocks.push(reset);
    if (testCase.given) blocks.push(testCase.given);
    inputBlock.push(blocks.length);
    blocks.push(testCase.input, checkBlock(testCase));
  }
  return { text: `# Node's REPL table\n\n${blocks.map((code) => fence(lang, lang === 'js' ? code.replace(' as any', '') : code)).join('\n')}`, inputBlock };
}

describe.each(['ts', 'js'])('Node’s REPL await table in one doc of %s fences (real CLI)', (lang) => {
  const doc = tableDoc(lang);
  let report: RunResult;

  beforeAll(async () => {
    const dir = makeDocs({ 'table.md': doc.text });
    report = (await runJson(dir, ['table.md'], ['--no-stamp'])).report;
  }, 60_000);

  it('passes every block', () => {
    const result = docResult(report, 'table.md');
    expect(result.blocks.filter((b) => b.status !== 'passed').map((b) => ({ index: b.index, error: b.error?.message }))).toEqual([]);
    expect(result.status).toBe('passed');
  });

  it.each(replCases.map((c, i) => [c.input, c, i] as const))('%s', (_input, testCase, i) => {
    const blocks = docResult(report, 'table.md').blocks;
    const input = blocks[doc.inputBlock[i]!]!;
    expect(input.value).toBe(expectedValue(testCase));
    expect(blocks[doc.inputBlock[i]! + 1]!.value).toBe(shownInReport(expectedCheck(testCase)));
    if (testCase.input.startsWith('console.log')) expect(input.stdout).toBe('1\n');
  });
});
