import { describe, expect, it } from 'vitest';
import { parseRunbookText } from '../../src/markdown/parse.js';
import { describeDoc, listDoc } from '../../src/runner/doc-listing.js';
import { fence, makeDocs } from '../support/cli.js';
import { join } from 'node:path';

const describeText = (text: string, options = {}) => describeDoc(parseRunbookText(text, 'doc.md'), options);
const runs = (text: string, options = {}) => describeText(text, options).blocks.map((block) => (block.runs ? block.number : `-${block.number}`));

describe('describeDoc: which blocks would run', () => {
  const body = `# T\n\n${fence('ts', '1')}\n${fence('text', 'prose', 'output')}\n${fence('ts', '2', 'eval')}\n${fence('ts', '3', 'skip')}\n${fence('sh', 'ls')}\n${fence('json', '{}')}`;
  const cases: [string, string, object, (string | number)[]][] = [
    // The output fence after block 1 is not a block: the eval block is block 2.
    ['all (default)', body, {}, [1, 2, '-3', '-4']],
    ['optIn from frontmatter', `---\nevalMode: optIn\n---\n${body}`, {}, ['-1', 2, '-3', '-4']],
    ['none from the options', body, { evalMode: 'none' }, ['-1', '-2', '-3', '-4']],
    ['shell: true in frontmatter', `---\nshell: true\n---\n${body}`, {}, [1, 2, '-3', 4]],
  ];
  it.each(cases)('%s', (_name, text, options, expected) => {
    expect(runs(text, options)).toEqual(expected);
  });

  it('gives the reason a block would not run', () => {
    const listing = describeText(`---\nevalMode: optIn\n---\n# T\n\n${fence('ts', '1')}`);
    expect(listing.blocks).toEqual([{ number: 1, lang: 'ts', line: 6, runs: false, reason: "eval mode is optIn and the fence has no 'eval'" }]);
  });
});

describe('describeDoc: title, tags, stamp', () => {
  it('reads title, tags and the last stamp (an unquoted YAML timestamp included)', () => {
    const listing = describeText(`---\ntitle: Keys\ntags: [ops, weekly]\nlastTested: 2026-01-02T03:04:05.000Z\nlastTestPassed: false\n---\n# Rotate\n`);
    expect(listing).toMatchObject({ path: 'doc.md', title: 'Keys', tags: ['ops', 'weekly'], lastTested: '2026-01-02T03:04:05.000Z', lastTestPassed: false, blocks: [] });
  });

  it('has no stamp for a doc never run, and a single tag as a list', () => {
    expect(describeText('---\ntags: ops\n---\n# R\n')).toMatchObject({ tags: ['ops'], lastTested: null, lastTestPassed: null });
  });

  it('says when the whole doc would be skipped', () => {
    expect(describeText('---\nskip: needs the VPN\n---\n# R\n').skip).toBe('needs the VPN');
  });

  it('reports a bad eval mode instead of throwing', () => {
    expect(describeText('---\nevalMode: some\n---\n# R\n').error).toBe('doc.md: frontmatter evalMode is "some"; use one of all, optIn, none.');
  });
});

describe('listDoc', () => {
  it('lists an unreadable doc with its error', () => {
    const dir = makeDocs({ 'bad.md': '---\ntitle: [unclosed\n---\n# x\n' });
    const listing = listDoc(join(dir, 'bad.md'));
    expect(listing.blocks).toEqual([]);
    expect(listing.error).toMatch(/bad\.md:\d+: inv/);
  });
});
