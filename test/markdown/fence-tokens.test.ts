import { describe, expect, it } from 'vitest';
import { parseFenceTokens, type FenceTokens } from '../../src/markdown/fence-tokens.js';

const none = { skip: false, silent: false, eval: false, always: false, output: false, nocheck: false };

const cases: [meta: string | null | undefined, expected: FenceTokens][] = [
  [null, { ...none, raw: [] }],
  [undefined, { ...none, raw: [] }],
  ['', { ...none, raw: [] }],
  ['skip', { ...none, skip: true, raw: ['skip'] }],
  ['silent', { ...none, silent: true, raw: ['silent'] }],
  ['eval', { ...none, eval: true, raw: ['eval'] }],
  ['always', { ...none, always: true, raw: ['always'] }],
  ['output', { ...none, output: true, raw: ['output'] }],
  ['nocheck', { ...none, nocheck: true, raw: ['nocheck'] }],
  ['throws', { ...none, throws: true, raw: ['throws'] }],
  ['throws=""', { ...none, throws: true, raw: ['throws=""'] }],
  ['throws="not found"', { ...none, throws: 'not found', raw: ['throws="not found"'] }],
  ["throws='single quoted'", { ...none, throws: 'single quoted', raw: ["throws='single quoted'"] }],
  ['throws=bare', { ...none, throws: 'bare', raw: ['throws=bare'] }],
  ['throws="a=b"', { ...none, throws: 'a=b', raw: ['throws="a=b"'] }],
  ['timeout=5000', { ...none, timeoutMs: 5000, raw: ['timeout=5000'] }],
  ['  silent\teval   timeout=10 ', { ...none, silent: true, eval: true, timeoutMs: 10, raw: ['silent', 'eval', 'timeout=10'] }],
  [
    'eval throws="bad input: x" always',
    { ...none, eval: true, always: true, throws: 'bad input: x', raw: ['eval', 'throws="bad input: x"', 'always'] },
  ],
  // Tokens of other tools are kept in raw and otherwise ignored.
  ['title="x.ts" {1,3} twoslash', { ...none, raw: ['title="x.ts"', '{1,3}', 'twoslash'] }],
  // Case matters: SKIP is someone else's token.
  ['SKIP', { ...none, raw: ['SKIP'] }],
];

describe('parseFenceTokens', () => {
  it.each(cases)('%j', (meta, expected) => {
    expect(parseFenceTokens(meta, 'doc.md:3')).toEqual(expected);
  });

  const badTimeouts: [meta: string, shown: string][] = [
    ['timeout', 'timeout='],
    ['timeout=', 'timeout='],
    ['timeout=0', 'timeout=0'],
    ['timeout=-5', 'timeout=-5'],
    ['timeout=1.5', 'timeout=1.5'],
    ['timeout=5s', 'timeout=5s'],
  ];
  it.each(badTimeouts)('%j is refused with the fence location', (meta, shown) => {
    let caught: unknown;
    try {
      parseFenceTokens(meta, 'docs/a.md:12');
    } catch (error) {
      caught = error;
    }
    expect((caught as { code?: string }).code).toBe('RUNBOOK_USAGE');
    expect((caught as Error).message).toBe(`docs/a.md:12: fence token '${shown}' needs a whole number of milliseconds greater than 0, e.g. timeout=5000.`);
  });

  it('refuses a timeout longer than Node can keep', () => {
    expect(() => parseFenceTokens('timeout=2147483648', 'docs/a.md:12')).toThrow(
      "docs/a.md:12: fence token 'timeout=2147483648' is too long: at most 2147483647 ms (about 24.8 days), the longest timer Node allows.",
    );
    expect(parseFenceTokens('timeout=2147483647', 'docs/a.md:12').timeoutMs).toBe(2147483647);
  });
});
