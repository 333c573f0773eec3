import { describe, expect, it } from 'vitest';
import { parseRunbookText } from '../../src/markdown/parse.js';
import { compareOutput, outputUpdate } from '../../src/runner/expected-output.js';

// [name, the output fence as written, the block's stdout, the fence --update writes]
const updates: [name: string, fence: string, stdout: string, rewritten: string][] = [
  ['plain output replaces the content', '```text output\nold\n```', 'new\n', '```text output\nnew\n```'],
  ['trailing spaces are kept', '```text output\nold\n```', 'a  \nb\t\n', '```text output\na  \nb\t\n```'],
  ['a ``` line makes the fence longer', '```text output\nold\n```', 'before\n```\nafter\n', '````text output\nbefore\n```\nafter\n````'],
  ['the longest run wins, indented runs too', '```text output\nold\n```', '```\n  `````js\n', '``````text output\n```\n  `````js\n``````'],
  ['~~~ lines do not close a ``` fence', '```text output\nold\n```', '~~~\n~~~~~\n', '```text output\n~~~\n~~~~~\n```'],
  ['a ~~~ fence grows past ~~~ lines', '~~~text output\nold\n~~~', '~~~~\n```\n', '~~~~~text output\n~~~~\n```\n~~~~~'],
  ['a longer fence stays as long', '`````text output\nold\n`````', 'x\n', '`````text output\nx\n`````'],
  ['NUL, ESC, a lone CR and DEL become control pictures', '```text output\nold\n```', 'a\0b\x1b[31mred\rc\x7f\n', '```text output\na\u2400b\u241b[31mred\u240dc\u2421\n```'],
  ['CRLF output in an LF doc', '```text output\nold\n```', 'a\r\nb\r\n', '```text output\na\nb\n```'],
  ['a CRLF doc stays CRLF', '```text output\r\nold\r\n```', 'a\nb\n', '```text output\r\na\r\nb\r\n```'],
  ['blank lines inside and at the end are kept', '```text output\nold\n```', 'a\n\nb\n\n', '```text output\na\n\nb\n\n```'],
  ['no output: an empty fence', '```text output\nold\n```', '', '```text output\n```'],
  ['```output without a language', '```output\nold\n```', 'new\n', '```output\nnew\n```'],
];

function docWith(fence: string): string {
  const eol = fence.includes('\r\n') ? '\r\n' : '\n';
  return ['```ts', 'console.log(1)', '```', fence, '', '## Next section', ''].join(eol);
}

describe('outputUpdate', () => {
  it.each(updates)('%s', (_name, fence, stdout, rewritten) => {
    const text = docWith(fence);
    const doc = parseRunbookText(text, 'doc.md');
    const block = doc.blocks[doc.blocks[0]!.expectedOutput!]!;
    expect(outputUpdate(text, block, stdout)).toEqual({ original: fence, replacement: rewritten });
  });

  // A fence closed early would leave its tail as prose and open a fence that swallows the next section.
  it.each(updates)('%s: the next run matches, and the doc after the fence is still there', (_name, fence, stdout) => {
    const text = docWith(fence);
    const first = parseRunbookText(text, 'doc.md');
    const update = outputUpdate(text, first.blocks[first.blocks[0]!.expectedOutput!]!, stdout);
    const updated = text.replace(update.original, update.replacement);
    const next = parseRunbookText(updated, 'doc.md');
    expect(next.blocks.map((block) => block.kind)).toEqual(['code', 'output']);
    expect(compareOutput(next.blocks[1]!.source, stdout)).toBeNull();
  });
});

describe('compareOutput', () => {
  const cases: [name: string, expected: string, stdout: string, matches: boolean][] = [
    ['trailing spaces and blank lines are ignored', 'a\nb', 'a  \nb\n\n', true],
    ['a control picture matches the control character', 'x\u2400y', 'x\0y', true],
    ['a raw ESC in an older fence still matches', 'a\x1b[0m', 'a\x1b[0m\n', true],
    ['U+FFFD is not NUL', 'x\uFFFDy', 'x\0y', false],
    ['different text differs', 'a', 'b\n', false],
  ];
  it.each(cases)('%s', (_name, expected, stdout, matches) => {
    expect(compareOutput(expected, stdout) === null).toBe(matches);
  });
});
