import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasCode } from '../../../src/errors.js';
import { readReport } from '../../../src/runner/merge/read-report.js';
import { jsonReport } from '../../../src/runner/reporters/json.js';
import { syntheticRun } from '../reporters/synthetic-run.js';

const write = "'runbook run --shard i/n --reporter json --output-file <file>'";
const good = jsonReport(syntheticRun());
const [firstDoc] = good.docs;

// file name → content, and the exact message readReport gives for it.
const badFiles: [string, string, string][] = [
  ['empty.json', '', 'empty.json is not JSON (Unexpected end of JSON input). merge-reports reads the JSON reports that ' + write + ' writes.'],
  ['junit.xml', '<?xml version="1.0"?>\n<testsuites/>', `junit.xml is not JSON (Unexpected token '<', "<?xml vers"... is not valid JSON). merge-reports reads the JSON reports that ${write} writes.`],
  ['unknown-key.json', JSON.stringify({ ...good, shard: 1 }), 'unknown-key.json is not a valid runbook JSON report: (the report): Unrecognized key: "shard".'],
  ['list.json', '[]', `list.json has no schemaVersion: it is not a runbook JSON report, or one written before reports were versioned. Write it with ${write}.`],
  ['old.json', JSON.stringify(syntheticRun()), `old.json has no schemaVersion: it is not a runbook JSON report, or one written before reports were versioned. Write it with ${write}.`],
  ['newer.json', JSON.stringify({ ...good, schemaVersion: 2 }), 'newer.json has schemaVersion 2, and this runbook reads version 1 only. Merge with the runbook version that wrote the reports, or write them again with this one.'],
  ['text-version.json', JSON.stringify({ ...good, schemaVersion: '1' }), 'text-version.json has schemaVersion "1", and this runbook reads version 1 only. Merge with the runbook version that wrote the reports, or write them again with this one.'],
  [
    'bad-status.json',
    JSON.stringify({ ...good, docs: [{ ...firstDoc, status: 'green' }] }),
    'bad-status.json is not a valid runbook JSON report: docs[0].status (doc docs/pass.md): Invalid option: expected one of "passed"|"failed"|"skipped"|"not-run".',
  ],
  [
    'many.json',
    JSON.stringify({ ...good, extra: true, passed: -1, docs: [{ ...firstDoc, blocks: [{ ...firstDoc.blocks[0], line: 'five' }] }], durationMs: null }),
    'many.json is not a valid runbook JSON report: docs[0].blocks[0].line (doc docs/pass.md): Invalid input: expected number, received string; passed: Too small: expected number to be >=0; durationMs: Invalid input: expected number, received null; and 1 more.',
  ],
];

describe('readReport', () => {
  let dir = '';
  const at = (name: string) => join(dir, name);
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'runbook-read-report-'));
    for (const [name, content] of badFiles) writeFileSync(at(name), content);
    writeFileSync(at('good.json'), `${JSON.stringify(good, null, 2)}\n`);
    mkdirSync(at('folder'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reads a report the JSON reporter wrote', () => {
    expect(readReport(at('good.json'))).toEqual(good);
  });

  it.each(badFiles)('refuses %s, saying why', (name, _content, message) => {
    let thrown: unknown;
    try {
      readReport(at(name));
    } catch (error) {
      thrown = error;
    }
    expect(hasCode(thrown, 'RUNBOOK_BAD_REPORT')).toBe(true);
    expect((thrown as Error).message).toBe(message.replaceAll(name, at(name)));
  });

  it('names a missing file, an unreadable one and a folder', () => {
    expect(() => readReport(at('missing.json'))).toThrow(`Cannot read report ${at('missing.json')}: no such file (ENOENT). Check the path (relative to ${process.cwd()}).`);
    expect(() => readReport(at('folder'))).toThrow(`${at('folder')} is a folder. Name the report files in it, e.g. ${at('folder')}/*.json.`);
    if (process.getuid?.() === 0) return; // root reads anything
    writeFileSync(at('locked.json'), '{}');
    chmodSync(at('locked.json'), 0o000);
    expect(() => readReport(at('locked.json'))).toThrow(`Cannot read report ${at('locked.json')}: permission denied (EACCES).`);
  });
});
