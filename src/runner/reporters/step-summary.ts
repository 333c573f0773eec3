import type { DocResult, DocStatus, RunResult } from '../results.js';
import { formatDuration, headlineOf } from './format.js';
import { locatedFailures, type LocatedFailure } from './located-failures.js';

// GitHub refuses a step's summary over 1 MiB (and shows none of it); leave room for a note.
const summaryLimit = 1024 * 1024 - 1024;

const statusLabels: Record<DocStatus, string> = { passed: '✅ passed', failed: '❌ failed', skipped: '⏭️ skipped', 'not-run': '⏸️ not run' };

const longestBacktickRun = (text: string) => (text.match(/`+/g) ?? []).reduce((longest, run) => Math.max(longest, run.length), 0);

// Table cells are one line, and a `|` would end the cell even inside a code span.
const oneLine = (text: string) => text.replace(/\r?\n/g, ' ').replace(/\|/g, '\\|');

// Text that comes from a doc (a skip reason) is shown as written, never as HTML.
const plain = (text: string) => oneLine(text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;'));

// A code span that holds any text: more backticks than the text has in a row, padded when it starts or ends with one.
function codeSpan(text: string): string {
  const ticks = '`'.repeat(longestBacktickRun(text) + 1);
  const pad = text.startsWith('`') || text.endsWith('`') ? ' ' : '';
  return `${ticks}${pad}${text}${pad}${ticks}`;
}

// A fence no line of the text can close.
function fenced(text: string): string {
  const fence = '`'.repeat(Math.max(3, longestBacktickRun(text) + 1));
  return `${fence}text\n${text}\n${fence}`;
}

function docRow(doc: DocResult, shownPath: (path: string) => string): string {
  const status = doc.status === 'skipped' && doc.skipReason ? `${statusLabels.skipped}: ${plain(doc.skipReason)}` : statusLabels[doc.status];
  return `| ${oneLine(codeSpan(shownPath(doc.path)))} | ${status} | ${formatDuration(doc.durationMs)} |`;
}

function failureSection(failure: LocatedFailure, shownPath: (path: string) => string): string {
  const where = [shownPath(failure.file), failure.line, failure.column].filter((part) => part !== undefined).join(':');
  const { error } = failure;
  const details = [headlineOf(error, failure.what), error?.frame, error?.diff].filter(Boolean).join('\n\n');
  const inDoc = failure.file === failure.doc ? '' : ` · doc ${codeSpan(shownPath(failure.doc))}`;
  return `**${codeSpan(where)}** ${failure.what}${inDoc}\n\n${fenced(details)}\n`;
}

// The text so far and its size in bytes, counted once per piece.
class Summary {
  text: string;
  #bytes: number;

  constructor(head: string) {
    this.text = head;
    this.#bytes = Buffer.byteLength(head);
  }

  /** Appends pieces while the summary stays within GitHub's limit; returns how many did not fit. */
  appendWithinLimit(pieces: string[]): number {
    for (const [index, piece] of pieces.entries()) {
      const bytes = Buffer.byteLength(piece);
      if (this.#bytes + bytes > summaryLimit) return pieces.length - index;
      this.text += piece;
      this.#bytes += bytes;
    }
    return 0;
  }
}

function leftOutNote(docs: number, failures: number): string {
  const count = (n: number, unit: string) => (n ? `${n} ${unit}${n === 1 ? '' : 's'}` : '');
  const parts = [count(docs, 'doc'), count(failures, 'failure')].filter(Boolean);
  return `\n_Not shown: ${parts.join(' and ')}. GitHub keeps at most 1 MiB of a step's summary; the job's log and annotations have every failure._\n`;
}

/**
 * The run as Markdown for `$GITHUB_STEP_SUMMARY`: the totals, a row per doc
 * (status, time, a skip's reason), then each failure with its location and
 * code frame. Kept under GitHub's 1 MiB: what does not fit is counted, not cut
 * in half. `shownPath` turns a result's path into the one to show.
 */
export function stepSummary(run: RunResult, shownPath: (path: string) => string = (path) => path): string {
  const failures = run.docs.flatMap(locatedFailures);
  const headline = `${run.failed ? '❌' : '✅'} runbook: ${run.passed} passed, ${run.failed} failed, ${run.skipped} skipped`;
  const rows = run.docs.map((doc) => `${docRow(doc, shownPath)}\n`);
  const sections = failures.map((failure) => `${failureSection(failure, shownPath)}\n`);
  const summary = new Summary(`### ${headline}\n\n${run.docs.length} doc${run.docs.length === 1 ? '' : 's'} in ${formatDuration(run.durationMs)}.\n\n| Doc | Status | Time |\n| --- | --- | --- |\n`);
  const docsLeft = summary.appendWithinLimit(rows);
  if (sections.length && !docsLeft) summary.appendWithinLimit(['\n#### Failures\n\n']);
  const failuresLeft = docsLeft ? sections.length : summary.appendWithinLimit(sections);
  return docsLeft || failuresLeft ? `${summary.text}${leftOutNote(docsLeft, failuresLeft)}` : summary.text;
}
