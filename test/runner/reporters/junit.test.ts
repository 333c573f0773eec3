import type { BlockResult } from '../../../src/runner/results.js';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { JunitReporter, junitXml } from '../../../src/runner/reporters/junit.js';
import { childrenNamed, parseXml, type XmlElement } from './mini-xml.js';
import { failFrame, syntheticRun } from './synthetic-run.js';

const only = (el: XmlElement, name: string) => {
  const found = childrenNamed(el, name);
  expect(found, `<${name}> in <${el.name}>`).toHaveLength(1);
  return found[0];
};

describe('mini XML parser (so the checks below can fail)', () => {
  it.each([
    ['unclosed element', '<a><b></a>', '</a> closes <b>'],
    ['raw < in attribute', '<a b="<"/>', "'<' in an attribute value"],
    ['unknown entity', '<a>&nbsp;</a>', 'unknown entity &nbsp;'],
    ['bare ampersand', '<a>fish & chips</a>', 'unterminated reference'],
    ['control character', '<a>\x1b[31m</a>', 'character U+1b not allowed'],
    ['reference to a control character', '<a>&#27;</a>', 'is not an XML character'],
    ['lone surrogate', '<a>\ud800</a>', 'character U+d800 not allowed'],
    ['duplicate attribute', '<a b="1" b="2"/>', 'duplicate attribute b'],
    ['unquoted attribute', '<a b=1/>', 'expected a quoted attribute value'],
    ['two roots', '<a/><b/>', 'content after the root element'],
    [']]> in text', '<a>x]]>y</a>', "']]>' in text"],
  ])('rejects %s', (_name, xml, message) => {
    expect(() => parseXml(xml)).toThrow(message);
  });

  it('decodes references and normalises attribute whitespace', () => {
    const el = parseXml('<?xml version="1.0"?>\n<a x="1&#10;2\t3" y=\'&quot;&amp;\'>t&lt;&#x41;&#13;</a>');
    expect(el).toEqual({ name: 'a', attrs: { x: '1\n2 3', y: '"&' }, children: [], text: 't<A\r' });
  });
});

describe('junit reporter', () => {
  const run = syntheticRun();
  const xml = junitXml(run);
  const root = parseXml(xml);
  const suites = childrenNamed(root, 'testsuite');
  const suite = (name: string) => suites.find((s) => s.attrs.name === name)!;

  it('is well-formed XML with a declaration and totals on <testsuites>', () => {
    expect(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<testsuites ')).toBe(true);
    expect(root.name).toBe('testsuites');
    expect(root.attrs).toEqual({ name: 'runbook', tests: '10', failures: '4', errors: '0', skipped: '3', time: '4.321' });
  });

  it('has one testsuite per doc and one testcase per block', () => {
    expect(suites.map((s) => s.attrs.name)).toEqual(['docs/pass.md', 'docs/fail.md', 'docs/issue #4, 100%: odd\\name.md', 'docs/skip.md', 'docs/broken.md']);
    expect(suites.map((s) => childrenNamed(s, 'testcase').length)).toEqual([2, 4, 2, 1, 1]);
    for (const s of suites) {
      const cases = childrenNamed(s, 'testcase');
      expect(Number(s.attrs.tests)).toBe(cases.length);
      expect(Number(s.attrs.failures)).toBe(cases.filter((c) => childrenNamed(c, 'failure').length).length);
      expect(Number(s.attrs.skipped)).toBe(cases.filter((c) => childrenNamed(c, 'skipped').length).length);
    }
  });

  it('gives times in seconds', () => {
    expect(suite('docs/pass.md').attrs.time).toBe('1.234');
    expect(childrenNamed(suite('docs/pass.md'), 'testcase').map((c) => c.attrs.time)).toEqual(['0.012', '0.007']);
    expect(childrenNamed(suite('docs/issue #4, 100%: odd\\name.md'), 'testcase')[1].attrs.time).toBe('30.000');
  });

  it('names testcases by block; line is the fence line, or for a failure the line that threw', () => {
    const cases = childrenNamed(suite('docs/fail.md'), 'testcase');
    expect(cases.map((c) => [c.attrs.name, c.attrs.classname, c.attrs.line])).toEqual([
      ['block 1 (ts, line 3)', 'docs/fail.md', '3'],
      ['block 2 (ts, line 7)', 'docs/fail.md', '9'],
      ['block 3 (ts, line 13)', 'docs/fail.md', '13'],
      ['block 4 (ts, line 17)', 'docs/fail.md', '17'],
    ]);
  });

  it('points a failed or timed-out testcase at its error, unless the error is in an imported file', () => {
    const odd = childrenNamed(suite('docs/issue #4, 100%: odd\\name.md'), 'testcase');
    expect(odd.map((c) => [c.attrs.name, c.attrs.line])).toEqual([
      ['block 1 (ts, line 4)', '9'],
      ['block 2 (ts, line 12)', '12'],
    ]);
    const helperError = { message: 'boom in helper', location: 'docs/helper.ts:13:9', file: 'docs/helper.ts', line: 13, column: 9 };
    const doc = { ...syntheticRun().docs[1]!, blocks: [{ ...syntheticRun().docs[1]!.blocks[1]!, error: helperError } as BlockResult] };
    const [testcase] = childrenNamed(only(parseXml(junitXml({ ...syntheticRun(), docs: [doc] })), 'testsuite'), 'testcase');
    expect(testcase!.attrs.line).toBe('7');
  });

  it('carries location, message, code frame and stack in <failure>', () => {
    const failure = only(childrenNamed(suite('docs/fail.md'), 'testcase')[1], 'failure');
    expect(failure.attrs).toEqual({ message: "TypeError: Cannot read properties of undefined (reading 'y')", type: 'TypeError' });
    expect(failure.text).toBe(
      `docs/fail.md:9:3: TypeError: Cannot read properties of undefined (reading 'y')\n\n${failFrame}\n\nTypeError: Cannot read properties of undefined (reading 'y')\n    at docs/fail.md:9:3`,
    );
  });

  it('carries the diff of an output mismatch and the code of a timeout', () => {
    const [mismatch, timeout] = childrenNamed(suite('docs/issue #4, 100%: odd\\name.md'), 'testcase');
    expect(only(mismatch, 'failure').attrs.type).toBe('RUNBOOK_OUTPUT_MISMATCH');
    expect(only(mismatch, 'failure').text).toBe('docs/issue #4, 100%: odd\\name.md:9:1: Output does not match the output block\n\n- expected 1\n+ actual 2');
    expect(only(timeout, 'failure').attrs).toEqual({ message: 'Timed out after 30000 ms.', type: 'RUNBOOK_BLOCK_TIMEOUT' });
  });

  it('marks skipped and not-run blocks and skipped docs with <skipped message>', () => {
    const cases = childrenNamed(suite('docs/fail.md'), 'testcase');
    expect(only(cases[2], 'skipped').attrs.message).toBe('not run: an earlier block failed');
    expect(only(cases[3], 'skipped').attrs.message).toBe('fence says skip');
    const skipped = only(suite('docs/skip.md'), 'testcase');
    expect(skipped.attrs.name).toBe('(doc)');
    expect(only(skipped, 'skipped').attrs.message).toBe('requires environment variable OPENAI_API_KEY (not set)');
  });

  it('reports a doc-level error as a failing (doc) testcase, keeping line breaks in the message', () => {
    const testcase = only(suite('docs/broken.md'), 'testcase');
    expect(testcase.attrs.name).toBe('(doc)');
    expect(testcase.attrs.line).toBe('2');
    expect(only(testcase, 'failure').attrs).toEqual({ message: 'Invalid frontmatter: bad indentation\nat line 2', type: 'RUNBOOK_INVALID_FRONTMATTER' });
  });

  it('puts captured output in <system-out>/<system-err>, escaped, colours dropped and control characters shown', () => {
    const [first, second] = childrenNamed(suite('docs/pass.md'), 'testcase');
    expect(only(first, 'system-out').text).toBe('hello <world> & "friends" \'too\'\nred and a \\x00 nul\r\nlone \\ud800 half\n');
    expect(only(second, 'system-err').text).toBe('careful ]]> here\n');
    expect(childrenNamed(first, 'system-err')).toEqual([]);
  });

  it('lists tags as properties and cleanup notes in the suite <system-err>', () => {
    expect(childrenNamed(only(suite('docs/pass.md'), 'properties'), 'property').map((p) => p.attrs)).toEqual([
      { name: 'tag', value: 'smoke' },
      { name: 'tag', value: 'a&b' },
    ]);
    expect(only(suite('docs/fail.md'), 'system-err').text).toBe('cleaned up: 1 server, 1 interval\nwarning: cleanup of server failed: EPERM, at 50%');
  });
});

describe('JunitReporter output file', () => {
  let dir = '';
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('creates missing folders', () => {
    dir = mkdtempSync(join(tmpdir(), 'runbook-junit-'));
    const file = join(dir, 'deep', 'er', 'junit.xml');
    new JunitReporter(file).onRunEnd(syntheticRun());
    expect(parseXml(readFileSync(file, 'utf8')).name).toBe('testsuites');
  });
});
