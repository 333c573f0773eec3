import { describe, expect, it } from 'vitest';
import { docResult, makeDocs, runJson } from '../support/cli.js';

// CommonMark example 134: a ``` line indented by four spaces is indented code,
// prose to runbook; it sits between a block and its output fence without
// unlinking them.
const doc = (expected: string) =>
  ['# Indented', '', '```ts', 'console.log("actual")', '```', '', '    ```', '    not a fence', '    ```', '', '```text output', expected, '```', ''].join('\n');

describe('indented code that starts with ``` (real CLI)', () => {
  it('neither runs nor stops the following output fence from being checked', async () => {
    const dir = makeDocs({ 'differs.md': doc('expected'), 'same.md': doc('actual') });
    const { report } = await runJson(dir, ['differs.md', 'same.md'], ['--no-stamp']);
    const differs = docResult(report, 'differs.md');
    expect(differs.blocks.map((b) => [b.line, b.status])).toEqual([[3, 'failed']]);
    expect([differs.blocks[0]!.error!.code, differs.blocks[0]!.error!.location]).toEqual(['RUNBOOK_OUTPUT_MISMATCH', 'differs.md:12:1']);
    expect(docResult(report, 'same.md').blocks.map((b) => [b.line, b.status])).toEqual([[3, 'passed']]);
  }, 30_000);
});
