import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { JsonReporter, jsonReport, reportSchemaVersion } from '../../../src/runner/reporters/json.js';
import { jsonReportSchema, reportJsonSchema } from '../../../src/runner/reporters/json-report-schema.js';
import { schemaErrors, shippedSchemaText } from '../../support/report-schema.js';
import { syntheticRun } from './synthetic-run.js';

const good = () => jsonReport(syntheticRun());

// Each case breaks one rule of a good report; both validators must refuse it.
const broken: [string, (report: Record<string, unknown> & ReturnType<typeof good>) => unknown][] = [
  ['no schemaVersion', ({ schemaVersion: _, ...rest }) => rest],
  ['another schemaVersion', (r) => ({ ...r, schemaVersion: 2 })],
  ['a key the schema does not name', (r) => ({ ...r, shard: 1 })],
  ['a doc status that does not exist', (r) => ({ ...r, docs: [{ ...r.docs[0], status: 'flaky' }] })],
  ['a block status that does not exist', (r) => ({ ...r, docs: [{ ...r.docs[0], blocks: [{ ...r.docs[0].blocks[0], status: 'ok' }] }] })],
  ['a doc without blocks', (r) => ({ ...r, docs: [{ ...r.docs[0], blocks: undefined }] })],
  ['a negative duration', (r) => ({ ...r, durationMs: -1 })],
  ['a fractional count', (r) => ({ ...r, passed: 1.5 })],
  ['line 0', (r) => ({ ...r, docs: [{ ...r.docs[0], blocks: [{ ...r.docs[0].blocks[0], line: 0 }] }] })],
  ['an error without a message', (r) => ({ ...r, docs: [{ ...r.docs[1], error: { location: 'a.md:1:1' } }] })],
  ['a number as stdout', (r) => ({ ...r, docs: [{ ...r.docs[0], blocks: [{ ...r.docs[0].blocks[0], stdout: 42 }] }] })],
];

describe('the JSON report and its schema', () => {
  it('carries its schemaVersion first, then the run', () => {
    const run = syntheticRun();
    const report = jsonReport(run);
    expect(Object.keys(report)).toEqual(['schemaVersion', 'docs', 'passed', 'failed', 'skipped', 'notRun', 'durationMs']);
    expect(report).toEqual({ schemaVersion: 1, ...run });
    expect(reportSchemaVersion).toBe(1);
  });

  it('ships schema/report.schema.json as the zod schema describes it (npm run build writes it)', () => {
    expect(shippedSchemaText).toBe(`${JSON.stringify(reportJsonSchema(), null, 2)}\n`);
    const schema = JSON.parse(shippedSchemaText) as Record<string, unknown>;
    expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(schema.additionalProperties).toBe(false);
  });

  it('accepts a report of every status, with text that needs escaping', () => {
    expect(schemaErrors(good())).toBe('');
    expect(jsonReportSchema.safeParse(good()).success).toBe(true);
  });

  it('accepts what the reporter writes, read back from its file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'runbook-json-'));
    try {
      new JsonReporter(join(dir, 'r.json')).onRunEnd(syntheticRun());
      const written = JSON.parse(readFileSync(join(dir, 'r.json'), 'utf8')) as unknown;
      expect(written).toEqual(good());
      expect(schemaErrors(written)).toBe('');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it.each(broken)('refuses %s (ajv and zod alike)', (_name, breakIt) => {
    const report = breakIt(good() as Record<string, unknown> & ReturnType<typeof good>);
    expect(schemaErrors(report)).not.toBe('');
    expect(jsonReportSchema.safeParse(report).success).toBe(false);
  });
});
