import { describe, expect, it } from 'vitest';
import { parseRunbookText } from '../../src/markdown/parse.js';
import { skipReason } from '../../src/runner/skip-reason.js';

const reasonFor = (text: string) => skipReason(parseRunbookText(text, 'doc.md'), {});

describe('skipReason', () => {
  it.each([
    ['an empty file', '', 'no runnable blocks: the file is empty'],
    ['a file of blank lines', '\n  \n', 'no runnable blocks: the file is empty'],
    ['a binary file', 'PK\u0003\u0004\u0000\u0000\u0008\u0000binary', 'no runnable blocks: not a text file (it contains NUL bytes)'],
    ['prose and a json fence', '# Notes\n\n```json\n{}\n```\n', 'no runnable blocks (no ts/js or shell fences)'],
    ['frontmatter skip first', '---\nskip: later\n---\n', 'later'],
  ])('skips %s', (_what, text, reason) => {
    expect(reasonFor(text)).toBe(reason);
  });

  it.each([
    ['a ts block', '```ts\nconst a = 1\n```\n'],
    ['a shell block, even one that needs eval', '```sh\necho hi\n```\n'],
  ])('runs a doc with %s', (_what, text) => {
    expect(reasonFor(text)).toBeUndefined();
  });
});
