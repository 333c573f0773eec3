import type { ErrorReport } from '../../engine/error-report.js';
import type { RunEvents } from '../events.js';
import type { BlockResult, DocResult, RunResult } from '../results.js';
import { blockLabel, headlineOf } from './format.js';
import { writeReport } from './report-file.js';
import { xmlAttr, xmlText } from './xml-escape.js';

interface Case {
  name: string;
  line?: number;
  seconds: number;
  failure?: { message: string; type: string; body: string };
  skipped?: string;
  stdout?: string;
  stderr?: string;
}

const seconds = (ms: number) => (ms / 1000).toFixed(3);

function failureOf(error: ErrorReport | undefined, fallback: string, timedOut = false): NonNullable<Case['failure']> {
  if (!error) return { message: fallback, type: timedOut ? 'timeout' : 'failure', body: fallback };
  const headline = headlineOf(error, fallback);
  const body = [error.location ? `${error.location}: ${headline}` : headline, error.frame, error.diff, error.stack].filter(Boolean).join('\n\n');
  return { message: headline, type: error.code ?? error.name ?? (timedOut ? 'timeout' : 'Error'), body };
}

// A failure points at the line that threw (CI views jump there); the testcase's name keeps the fence
// line. An error inside an imported .ts file has no line in the doc, so the fence stands in for it.
function caseLine(block: BlockResult): number {
  const failed = block.status === 'failed' || block.status === 'timed-out';
  return failed && block.error?.line && !block.error.file ? block.error.line : block.line;
}

function blockCase(block: BlockResult): Case {
  const base: Case = { name: blockLabel(block), line: caseLine(block), seconds: block.durationMs / 1000, stdout: block.stdout, stderr: block.stderr };
  switch (block.status) {
    case 'failed':
      return { ...base, failure: failureOf(block.error, 'block failed') };
    case 'timed-out':
      return { ...base, failure: failureOf(block.error, 'block timed out', true) };
    case 'skipped':
      return { ...base, skipped: block.reason ?? 'skipped' };
    case 'not-run':
      return { ...base, skipped: `not run${block.reason ? `: ${block.reason}` : ''}` };
    default:
      return base;
  }
}

// A doc-level failure or a skipped doc with no blocks still needs a testcase, or CI shows nothing.
function casesOf(doc: DocResult): Case[] {
  const cases = doc.blocks.map(blockCase);
  if (doc.error) cases.unshift({ name: '(doc)', seconds: 0, line: doc.error.file ? undefined : doc.error.line, failure: failureOf(doc.error, 'doc failed') });
  else if (doc.status === 'failed' && !cases.some((c) => c.failure)) cases.unshift({ name: '(doc)', seconds: 0, failure: failureOf(undefined, 'doc failed') });
  if (doc.status === 'skipped' && cases.length === 0) cases.push({ name: '(doc)', seconds: 0, skipped: doc.skipReason ?? 'skipped' });
  return cases;
}

function caseXml(doc: DocResult, c: Case): string {
  const attrs = `name="${xmlAttr(c.name)}" classname="${xmlAttr(doc.path)}" file="${xmlAttr(doc.path)}"${c.line ? ` line="${c.line}"` : ''} time="${c.seconds.toFixed(3)}"`;
  const inner: string[] = [];
  if (c.failure) inner.push(`      <failure message="${xmlAttr(c.failure.message)}" type="${xmlAttr(c.failure.type)}">${xmlText(c.failure.body)}</failure>`);
  if (c.skipped !== undefined) inner.push(`      <skipped message="${xmlAttr(c.skipped)}"/>`);
  if (c.stdout) inner.push(`      <system-out>${xmlText(c.stdout)}</system-out>`);
  if (c.stderr) inner.push(`      <system-err>${xmlText(c.stderr)}</system-err>`);
  return inner.length ? `    <testcase ${attrs}>\n${inner.join('\n')}\n    </testcase>` : `    <testcase ${attrs}/>`;
}

interface Counts {
  tests: number;
  failures: number;
  skipped: number;
}

function suiteXml(doc: DocResult, counts: Counts): string {
  const cases = casesOf(doc);
  const failures = cases.filter((c) => c.failure).length;
  const skipped = cases.filter((c) => c.skipped !== undefined).length;
  counts.tests += cases.length;
  counts.failures += failures;
  counts.skipped += skipped;
  const lines = [
    `  <testsuite name="${xmlAttr(doc.path)}" tests="${cases.length}" failures="${failures}" errors="0" skipped="${skipped}" time="${seconds(doc.durationMs)}" file="${xmlAttr(doc.path)}">`,
  ];
  if (doc.tags.length) {
    lines.push('    <properties>', ...doc.tags.map((tag) => `      <property name="tag" value="${xmlAttr(tag)}"/>`), '    </properties>');
  }
  lines.push(...cases.map((c) => caseXml(doc, c)));
  const notes = [...(doc.cleanedUp.length ? [`cleaned up: ${doc.cleanedUp.join(', ')}`] : []), ...doc.warnings.map((w) => `warning: ${w}`)];
  if (notes.length) lines.push(`    <system-err>${xmlText(notes.join('\n'))}</system-err>`);
  lines.push('  </testsuite>');
  return lines.join('\n');
}

/** The run as JUnit XML: one testsuite per doc, one testcase per block. */
export function junitXml(run: RunResult): string {
  const counts: Counts = { tests: 0, failures: 0, skipped: 0 };
  const suites = run.docs.map((doc) => suiteXml(doc, counts));
  const root = `<testsuites name="runbook" tests="${counts.tests}" failures="${counts.failures}" errors="0" skipped="${counts.skipped}" time="${seconds(run.durationMs)}">`;
  return ['<?xml version="1.0" encoding="UTF-8"?>', root, ...suites, '</testsuites>', ''].join('\n');
}

/** JUnit XML for CI test views; written at the end of the run, to `file` or stdout. */
export class JunitReporter implements RunEvents {
  readonly #file: string | undefined;

  constructor(file?: string) {
    this.#file = file;
  }

  onRunEnd(run: RunResult): void {
    writeReport(junitXml(run), this.#file);
  }
}
