import { afterEach, describe, expect, it, vi } from 'vitest';
import { compileParts } from '../../src/engine/compile.js';
import { blockRunner, type BlockRunner, type Realm } from '../support/run-blocks.js';
import { checkBlock, expectedCheck, replCases, shown, type ReplCase } from '../support/repl-await-cases.js';

let open: BlockRunner | undefined;
afterEach(() => {
  open?.close();
  open = undefined;
  vi.restoreAllMocks();
});

// Runs the case's blocks as one fresh doc: what it is given, the input, then the check.
async function runCase(testCase: ReplCase, lang: string, realm: Realm): Promise<{ value: unknown; check: unknown }> {
  open = blockRunner(realm);
  const blocks = [...(testCase.given ? [testCase.given] : []), testCase.input, checkBlock(testCase)];
  const values: unknown[] = [];
  for (const [index, source] of blocks.entries()) {
    const parts = compileParts({ index, lang, source, line: 1, indent: 0 }, 'repl-table.md');
    values.push((await open.run(parts, index)).value);
  }
  return { value: values[values.length - 2], check: values[values.length - 1] };
}

describe('Node’s REPL await table', () => {
  it('has every valid input of Node’s test once', () => {
    expect(replCases).toHaveLength(58);
    expect(new Set(replCases.map((c) => c.input)).size).toBe(58);
  });

  describe.each(['ts', 'js'])('in %s fences', (lang) => {
    describe.each<Realm>(['vm context', 'main realm'])('in the %s', (realm) => {
      it.each(replCases.map((c) => [c.input, c] as const))('%s', async (_input, testCase) => {
        const log = vi.spyOn(console, 'log').mockImplementation(() => {});
        const { value, check } = await runCase(testCase, lang, realm);
        expect(shown(value)).toEqual(testCase.value);
        expect(check).toEqual(expectedCheck(testCase));
        if (testCase.input.startsWith('console.log')) expect(log).toHaveBeenCalledWith('1');
      });
    });
  });
});
