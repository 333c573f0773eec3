import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { selectDocs } from '../../src/runner/select.js';

// Paths deliberately out of order: selection works on the sorted list.
const names = ['docs/zeta.md', 'docs/alpha.md', 'guide/intro.md', 'docs/api/server.md', 'guide/advanced.md', 'README.md', 'docs/beta.md'];

describe('selectDocs: --shard i/n', () => {
  it.each([1, 2, 3, 4, 5, 7, 8, 12])('shards 1..%i together hold every doc exactly once', async (count) => {
    const shards = await Promise.all(Array.from({ length: count }, (_, i) => selectDocs(names, { shard: { index: i + 1, count } })));
    const all = shards.flat();
    expect(all.length).toBe(names.length);
    expect(new Set(all).size).toBe(names.length);
    expect([...all].sort()).toEqual([...names].sort());
    // Balanced: no shard holds more than one doc more than another.
    const sizes = shards.map((shard) => shard.length);
    expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
  });

  it('deals the sorted paths out round-robin, whatever order they came in', async () => {
    const sorted = [...names].sort();
    expect(sorted).toEqual(['README.md', 'docs/alpha.md', 'docs/api/server.md', 'docs/beta.md', 'docs/zeta.md', 'guide/advanced.md', 'guide/intro.md']);
    expect(await selectDocs(names, { shard: { index: 1, count: 3 } })).toEqual(['README.md', 'docs/beta.md', 'guide/intro.md']);
    expect(await selectDocs(names, { shard: { index: 2, count: 3 } })).toEqual(['docs/alpha.md', 'docs/zeta.md']);
    expect(await selectDocs(names, { shard: { index: 3, count: 3 } })).toEqual(['docs/api/server.md', 'guide/advanced.md']);
    expect(await selectDocs([...names].reverse(), { shard: { index: 2, count: 3 } })).toEqual(['docs/alpha.md', 'docs/zeta.md']);
  });

  it('a shard past the number of docs is empty; 1/1 is everything, sorted', async () => {
    expect(await selectDocs(['b.md', 'a.md'], { shard: { index: 3, count: 3 } })).toEqual([]);
    expect(await selectDocs(names, { shard: { index: 1, count: 1 } })).toEqual([...names].sort());
  });

  it('does not change the list it was given', async () => {
    const input = [...names];
    await selectDocs(input, { shard: { index: 1, count: 2 } });
    expect(input).toEqual(names);
  });
});

describe('selectDocs: --filter', () => {
  it.each([
    ['docs/', ['docs/alpha.md', 'docs/api/server.md', 'docs/beta.md', 'docs/zeta.md']],
    ['a.md', ['docs/alpha.md', 'docs/beta.md', 'docs/zeta.md']],
    ['api/server', ['docs/api/server.md']],
    ['README', ['README.md']],
    // A substring, case-sensitive, not a glob.
    ['readme', []],
    ['docs/*.md', []],
  ])('%s selects %j', async (filter, expected) => {
    expect(await selectDocs(names, { filter })).toEqual(expected);
  });

  it('an empty filter selects everything', async () => {
    expect(await selectDocs(names, { filter: '' })).toEqual([...names].sort());
  });
});

describe('selectDocs: --tag (frontmatter tags)', () => {
  let dir: string;
  const docs: Record<string, string> = {
    'list.md': '---\ntags: [slow, network]\n---\n# L\n',
    'block-list.md': '---\ntags:\n  - network\n  - ui\n---\n# B\n',
    'single.md': '---\ntags: slow\n---\n# S\n',
    'numeric.md': '---\ntags: [2024]\n---\n# N\n',
    'untagged.md': '---\ntitle: none\n---\n# U\n',
    'no-frontmatter.md': '# Plain\n',
    'invalid.md': '---\ntags: [slow\n---\n# I\n',
  };
  const at = (name: string) => join(dir, name);
  const all = () => Object.keys(docs).map(at);

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'runbook-select-'));
    for (const [name, text] of Object.entries(docs)) writeFileSync(at(name), text);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it.each([
    [['slow'], ['list.md', 'single.md']],
    [['network'], ['block-list.md', 'list.md']],
    // Several tags: a doc with any of them.
    [['ui', 'slow'], ['block-list.md', 'list.md', 'single.md']],
    [['2024'], ['numeric.md']],
    [['none'], []],
  ])('--tag %j selects %j', async (tags, expected) => {
    expect(await selectDocs(all(), { tags })).toEqual(expected.map(at));
  });

  it('no --tag selects docs with and without tags, and unreadable frontmatter is left to the run', async () => {
    expect(await selectDocs(all(), { tags: [] })).toEqual(all().sort());
    expect(await selectDocs([...all(), at('missing.md')], {})).toEqual([...all(), at('missing.md')].sort());
  });

  it('filter, then tag, then shard: shards split only what was selected', async () => {
    const selected = await selectDocs(all(), { filter: 'list', tags: ['network'] });
    expect(selected).toEqual([at('block-list.md'), at('list.md')]);
    expect(await selectDocs(all(), { filter: 'list', tags: ['network'], shard: { index: 1, count: 2 } })).toEqual([at('block-list.md')]);
    expect(await selectDocs(all(), { filter: 'list', tags: ['network'], shard: { index: 2, count: 2 } })).toEqual([at('list.md')]);
  });
});
