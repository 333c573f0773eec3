import { readFileSync } from 'node:fs';
import type * as z from 'zod';
import { runbookError, type RunbookError } from '../../errors.js';
import { reportSchemaVersion, type JsonReport } from '../reporters/json.js';
import { jsonReportSchema } from '../reporters/json-report-schema.js';

/** How a shard's report is made, for messages about a file that is not one. */
const howToWrite = "'runbook run --shard i/n --reporter json --output-file <file>'";

const readProblems: Record<string, string> = {
  ENOENT: 'no such file',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
};

const badReport = (message: string, cause?: unknown): RunbookError => runbookError('RUNBOOK_BAD_REPORT', message, { cause });

function readText(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? '';
    if (code === 'EISDIR') throw badReport(`${file} is a folder. Name the report files in it, e.g. ${file.replace(/\/$/, '')}/*.json.`, error);
    const why = readProblems[code] ?? (error as Error).message;
    const hint = code === 'ENOENT' ? ` Check the path (relative to ${process.cwd()}).` : '';
    throw badReport(`Cannot read report ${file}: ${why}${code ? ` (${code})` : ''}.${hint}`, error);
  }
}

// `docs[2].blocks[0].status (doc b.md)`: where in the file, and which doc that is.
function issuePlace(issue: z.core.$ZodIssue, input: unknown): string {
  let place = '';
  for (const key of issue.path) place += typeof key === 'number' ? `[${key}]` : `${place ? '.' : ''}${String(key)}`;
  const [top, index] = issue.path;
  const doc = top === 'docs' && typeof index === 'number' ? (input as { docs: { path?: unknown }[] }).docs[index]?.path : undefined;
  return `${place || '(the report)'}${typeof doc === 'string' ? ` (doc ${doc})` : ''}`;
}

function describeIssues(error: z.ZodError, input: unknown): string {
  const shown = error.issues.slice(0, 3).map((issue) => `${issuePlace(issue, input)}: ${issue.message}`);
  const more = error.issues.length - shown.length;
  return `${shown.join('; ')}${more > 0 ? `; and ${more} more` : ''}`;
}

/**
 * Reads one JSON report and checks it against the report's schema, so a
 * merge never starts from a file it would misread.
 * Throws RUNBOOK_BAD_REPORT saying what is wrong with the file.
 */
export function readReport(file: string): JsonReport {
  const text = readText(file);
  let input: unknown;
  try {
    input = JSON.parse(text);
  } catch (error) {
    throw badReport(`${file} is not JSON (${(error as Error).message.replace(/\s*\n\s*/g, ' ')}). merge-reports reads the JSON reports that ${howToWrite} writes.`, error);
  }
  const version = typeof input === 'object' && input !== null && !Array.isArray(input) ? (input as { schemaVersion?: unknown }).schemaVersion : undefined;
  if (version === undefined) {
    throw badReport(`${file} has no schemaVersion: it is not a runbook JSON report, or one written before reports were versioned. Write it with ${howToWrite}.`);
  }
  if (version !== reportSchemaVersion) {
    throw badReport(
      `${file} has schemaVersion ${JSON.stringify(version)}, and this runbook reads version ${reportSchemaVersion} only. Merge with the runbook version that wrote the reports, or write them again with this one.`,
    );
  }
  const checked = jsonReportSchema.safeParse(input);
  if (!checked.success) throw badReport(`${file} is not a valid runbook JSON report: ${describeIssues(checked.error, input)}.`, checked.error);
  return checked.data;
}
