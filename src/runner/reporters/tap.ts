import type { ErrorReport } from '../../engine/error-report.js';
import type { RunEvents } from '../events.js';
import type { BlockResult, DocResult, RunResult } from '../results.js';
import { blockLabel, headlineOf, runCounts } from './format.js';
import { writeReport } from './report-file.js';

// TAP 14 reserves `#` (directives) and `\` in descriptions; a newline would end the line.
const description = (text: string) => text.replace(/[\r\n]+/g, ' ').replace(/\\/g, '\\\\').replace(/#/g, '\\#');
const directiveText = (text: string) => text.replace(/[\r\n]+/g, ' ').trim();

// Double-quoted JSON strings are valid YAML scalars; literal blocks read better but carry only printable text.
function yamlValue(text: string, indent: string): string {
  const literal = text.includes('\n') && !/[\x00-\x08\x0b-\x1f\x7f\u2028\u2029]/.test(text);
  if (!literal) return JSON.stringify(text);
  return `|2-\n${text.split('\n').map((line) => (line ? `${indent}  ${line}` : '')).join('\n')}`;
}

/** A YAML diagnostics block for a failure, indented under its test point. */
function diagnostics(error: ErrorReport | undefined, fallback: string, at: string, indent: string, extra: Record<string, string | number> = {}): string[] {
  const fields: [string, string | number | undefined][] = [
    ['message', headlineOf(error, fallback)],
    ['severity', 'fail'],
    ['at', error?.location ?? at],
    ['type', error?.code ?? error?.name],
    ...Object.entries(extra),
    ['frame', error?.frame],
    ['diff', error?.diff],
  ];
  const lines = [`${indent}---`];
  for (const [key, value] of fields) {
    if (value === undefined || value === '') continue;
    lines.push(...`${indent}${key}: ${typeof value === 'number' ? value : yamlValue(value, indent)}`.split('\n'));
  }
  lines.push(`${indent}...`);
  return lines;
}

function blockPoint(doc: DocResult, block: BlockResult, n: number): string[] {
  const name = `${n} - ${description(blockLabel(block))}`;
  const at = `${doc.path}:${block.line}`;
  switch (block.status) {
    case 'passed':
      return [`ok ${name}`];
    case 'skipped':
      return [`ok ${name} # SKIP ${directiveText(block.reason ?? 'skipped')}`];
    case 'not-run':
      return [`ok ${name} # SKIP ${directiveText(`not run${block.reason ? `: ${block.reason}` : ''}`)}`];
    case 'failed':
    case 'timed-out': {
      const fallback = block.status === 'timed-out' ? 'block timed out' : 'block failed';
      return [`not ok ${name}`, ...diagnostics(block.error, fallback, at, '  ', { duration_ms: block.durationMs })];
    }
  }
}

function docPoint(doc: DocResult, n: number): string[] {
  const name = `${n} - ${description(doc.path)}`;
  if (doc.status === 'skipped') return [`ok ${name} # SKIP ${directiveText(doc.skipReason ?? 'skipped')}`];
  const lines: string[] = [];
  if (doc.blocks.length) {
    lines.push(`# Subtest: ${description(doc.path)}`, `    1..${doc.blocks.length}`);
    doc.blocks.forEach((block, i) => lines.push(...blockPoint(doc, block, i + 1).map((line) => (line ? `    ${line}` : line))));
  }
  if (doc.status === 'passed') return [...lines, `ok ${name}`];
  if (doc.status === 'not-run') return [...lines, `ok ${name} # SKIP ${directiveText(`not run: ${doc.skipReason ?? 'no block ran'}`)}`];
  lines.push(`not ok ${name}`);
  const blockFailed = doc.blocks.some((b) => b.status === 'failed' || b.status === 'timed-out');
  if (doc.error || !blockFailed) lines.push(...diagnostics(doc.error, 'doc failed', doc.path, '  '));
  return lines;
}

/** The run as a TAP version 14 stream: one test point per doc, a subtest per block. */
export function tapText(run: RunResult): string {
  const lines = ['TAP version 14', `1..${run.docs.length}`];
  run.docs.forEach((doc, i) => lines.push(...docPoint(doc, i + 1)));
  lines.push(`# docs: ${runCounts(run)}`, '');
  return lines.join('\n');
}

/** TAP for CI tools that read it; written at the end of the run, to `file` or stdout. */
export class TapReporter implements RunEvents {
  readonly #file: string | undefined;

  constructor(file?: string) {
    this.#file = file;
  }

  onRunEnd(run: RunResult): void {
    writeReport(tapText(run), this.#file);
  }
}
