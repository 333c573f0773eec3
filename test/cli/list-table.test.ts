import pc from 'picocolors';
import { describe, expect, it } from 'vitest';
import { listTable, listWidth, wrap } from '../../src/cli/list-table.js';
import type { DocListing } from '../../src/runner/doc-listing.js';

const plain = pc.createColors(false);

const doc = (path: string, fields: Partial<DocListing> = {}): DocListing => ({
  path,
  title: 'Notes',
  tags: [],
  blocks: [{ number: 1, lang: 'ts', line: 3, runs: true }],
  lastTested: null,
  lastTestPassed: null,
  ...fields,
});

const long = doc('docs/examples/a-rather-long-folder-name/and-a-long-doc-name.md', {
  title: 'Opening windows through one broker with windowManager',
  tags: ['windowManager', 'ipc', 'sockets', 'brokers'],
  lastTested: '2026-03-04T05:06:07.000Z',
  lastTestPassed: false,
});

describe('listWidth', () => {
  it.each([
    [{ isTTY: true, columns: 132 }, 132],
    [{ isTTY: true, columns: 0 }, 80],
    [{ isTTY: false, columns: 132 }, 80],
  ])('%j → %i', (out, width) => {
    expect(listWidth(out as Pick<NodeJS.WriteStream, 'isTTY' | 'columns'>)).toBe(width);
  });
});

describe('wrap', () => {
  it.each([
    ['fits', 'a b c', 10, ['a b c']],
    ['breaks at spaces, indenting later lines', 'one two three four', 9, ['one two', '  three', '  four']],
    ['cuts a word longer than a line', 'abcdefghij', 4, ['abcd', '  ef', '  gh', '  ij']],
    ['ends even in less room than the indent', 'abc', 1, ['a', '  b', '  c']],
  ])('%s', (_name, text, width, lines) => {
    expect(wrap(text, width, '  ')).toEqual(lines);
  });

  it('measures coloured words by what shows', () => {
    const c = pc.createColors(true);
    expect(wrap(`12345 ${c.green('pass')}`, 10)).toEqual([`12345 ${c.green('pass')}`]);
  });
});

describe('listTable', () => {
  it('is a table when every row fits the width', () => {
    expect(listTable([doc('a.md')], plain, 80)).toBe(
      ['DOC   TITLE  TAGS  BLOCKS  WOULD RUN  LAST TESTED', 'a.md  Notes  -     1       all 1      never', ''].join('\n'),
    );
  });

  it('turns to a few wrapped lines per doc when a row would not fit, never wider than the width', () => {
    const text = listTable([doc('a.md'), long], plain, 60);
    expect(text).toBe(
      [
        'a.md',
        '  Notes',
        '  1 block · would run: all 1 · last tested: never',
        'docs/examples/a-rather-long-folder-name/and-a-long-doc-name.',
        'md',
        '  Opening windows through one broker with windowManager ·',
        '      tags: windowManager, ipc, sockets, brokers',
        '  1 block · would run: all 1 · last tested: 2026-03-04',
        '      05:06Z fail',
        '',
      ].join('\n'),
    );
    for (const width of [40, 60, 80]) {
      for (const line of listTable([long], plain, width).split('\n')) expect(line.length).toBeLessThanOrEqual(width);
    }
  });

  it('keeps the table at a terminal’s own, wider width', () => {
    expect(listTable([long], plain, 200).split('\n')[0]).toMatch(/^DOC +TITLE +TAGS +BLOCKS +WOULD RUN +LAST TESTED$/);
  });

  it('wraps a doc’s problem under it', () => {
    const broken = doc('b.md', { blocks: [], error: 'b.md:2: invalid YAML in the frontmatter: bad indentation of a mapping entry' });
    expect(listTable([broken], plain, 40).split('\n')).toEqual([
      'b.md',
      '  Notes',
      '  0 blocks · would run: unreadable ·',
      '      last tested: never',
      '  b.md:2: invalid YAML in the',
      '    frontmatter: bad indentation of a',
      '    mapping entry',
      '',
    ]);
  });
});
