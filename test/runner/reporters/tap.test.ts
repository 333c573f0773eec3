import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { TapReporter, tapText } from '../../../src/runner/reporters/tap.js';
import { parseTap } from './mini-tap.js';
import { summarize } from '../../../src/runner/results.js';
import { failFrame, notRunDoc, passDoc, syntheticRun } from './synthetic-run.js';

describe('mini TAP parser (so the checks below can fail)', () => {
  it.each([
    ['no version line', '1..0\n', 'first line is "1..0"'],
    ['plan and points disagree', 'TAP version 14\n1..2\nok 1 - a\n', 'plan says 2, found 1'],
    ['misnumbered point', 'TAP version 14\n1..1\nok 2 - a\n', 'test point 1 is numbered 2'],
    ['garbage line', 'TAP version 14\n1..1\nok 1 - a\nhello\n', 'not a TAP line: "hello"'],
    ['unterminated YAML', 'TAP version 14\n1..1\nnot ok 1 - a\n  ---\n  message: "x"\n', 'unterminated YAML block'],
    ['subtest without plan', 'TAP version 14\n1..1\n# Subtest: a\n    ok 1 - b\nok 1 - a\n', 'no plan in a'],
    ['raw # in a description', 'TAP version 14\n1..1\nok 1 - issue #4\n', 'unknown directive'],
  ])('rejects %s', (_name, text, message) => {
    expect(() => parseTap(text)).toThrow(message);
  });
});

describe('tap reporter', () => {
  const text = tapText(syntheticRun());
  const tap = parseTap(text);

  it('starts with the version and a plan of one test point per doc', () => {
    expect(text.split('\n').slice(0, 2)).toEqual(['TAP version 14', '1..5']);
    expect(tap.points.map((p) => [p.ok, p.id, p.description])).toEqual([
      [true, 1, 'docs/pass.md'],
      [false, 2, 'docs/fail.md'],
      [false, 3, 'docs/issue #4, 100%: odd\\name.md'],
      [true, 4, 'docs/skip.md'],
      [false, 5, 'docs/broken.md'],
    ]);
    expect(tap.comments).toEqual(['docs: 1 passed, 3 failed, 1 skipped']);
  });

  it('has a subtest per doc with a test point per block', () => {
    const [pass, fail] = tap.points;
    expect(pass.subtest?.name).toBe('docs/pass.md');
    expect(pass.subtest?.points.map((p) => [p.ok, p.description])).toEqual([
      [true, 'block 1 (ts, line 5)'],
      [true, 'block 2 (ts, line 11)'],
    ]);
    expect(fail.subtest?.points.map((p) => [p.ok, p.description, p.directive])).toEqual([
      [true, 'block 1 (ts, line 3)', undefined],
      [false, 'block 2 (ts, line 7)', undefined],
      [true, 'block 3 (ts, line 13)', { kind: 'SKIP', reason: 'not run: an earlier block failed' }],
      [true, 'block 4 (ts, line 17)', { kind: 'SKIP', reason: 'fence says skip' }],
    ]);
  });

  it('gives a failing block a YAML block with message, severity, at and the code frame', () => {
    expect(tap.points[1].subtest?.points[1].diagnostics).toEqual({
      message: "TypeError: Cannot read properties of undefined (reading 'y')",
      severity: 'fail',
      at: 'docs/fail.md:9:3',
      type: 'TypeError',
      duration_ms: 5,
      frame: failFrame,
    });
    // The doc point itself carries no second copy of a block's failure.
    expect(tap.points[1].diagnostics).toBeUndefined();
  });

  it('carries diffs and timeouts', () => {
    const [mismatch, timeout] = tap.points[2].subtest!.points;
    expect(mismatch.diagnostics).toMatchObject({ message: 'Output does not match the output block', at: 'docs/issue #4, 100%: odd\\name.md:9:1', diff: '- expected 1\n+ actual 2' });
    expect(timeout.diagnostics).toMatchObject({ message: 'Timed out after 30000 ms.', severity: 'fail', type: 'RUNBOOK_BLOCK_TIMEOUT', duration_ms: 30000 });
  });

  it('skips a skipped doc with its reason and no subtest', () => {
    expect(tap.points[3]).toEqual({ ok: true, id: 4, description: 'docs/skip.md', directive: { kind: 'SKIP', reason: 'requires environment variable OPENAI_API_KEY (not set)' } });
  });

  it('puts a doc-level error on the doc test point', () => {
    expect(tap.points[4].subtest).toBeUndefined();
    expect(tap.points[4].diagnostics).toEqual({
      message: 'Invalid frontmatter: bad indentation\nat line 2',
      severity: 'fail',
      at: 'docs/broken.md:2:1',
      type: 'RUNBOOK_INVALID_FRONTMATTER',
    });
  });

  it('escapes # and backslash in descriptions', () => {
    expect(text).toContain('not ok 3 - docs/issue \\#4, 100%: odd\\\\name.md\n');
  });
});

describe('tap reporter, a doc that did not run', () => {
  it('is skipped as not run, with its blocks in a subtest; the summary counts it', () => {
    const tap = parseTap(tapText(summarize([passDoc, notRunDoc], 100)));
    expect(tap.points[1]).toMatchObject({ ok: true, description: 'docs/shown.md', directive: { kind: 'SKIP', reason: 'not run: eval mode is none' } });
    expect(tap.points[1]!.subtest?.points.map((p) => p.directive?.reason)).toEqual(['eval mode is none', 'eval mode is none']);
    expect(tap.comments).toEqual(['docs: 1 passed, 0 failed, 0 skipped, 1 not run']);
  });
});

describe('TapReporter output file', () => {
  let dir = '';
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('creates missing folders', () => {
    dir = mkdtempSync(join(tmpdir(), 'runbook-tap-'));
    const file = join(dir, 'out', 'run.tap');
    new TapReporter(file).onRunEnd(syntheticRun());
    expect(parseTap(readFileSync(file, 'utf8')).points).toHaveLength(5);
  });
});
