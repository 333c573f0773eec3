import type { ErrorReport } from '../../engine/error-report.js';
import type { RunEvents } from '../events.js';
import type { DocResult, RunResult } from '../results.js';
import { formatDuration, runCounts } from './format.js';

// GitHub's workflow command encoding: data escapes %, CR and LF; properties also `:` and `,`,
// which would otherwise end the value.
export const escapeData = (text: string) => text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
export const escapeProperty = (text: string) => escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');

type Properties = { file?: string; line?: number; col?: number; title?: string };

/** One workflow command line, e.g. `::error file=a.md,line=3::boom`. */
export function workflowCommand(command: 'error' | 'warning' | 'notice', properties: Properties, message: string): string {
  const props = Object.entries(properties)
    .filter(([, value]) => value !== undefined && value !== '')
    .map(([key, value]) => `${key}=${escapeProperty(String(value))}`)
    .join(',');
  return `::${command}${props ? ` ${props}` : ''}::${escapeData(message)}`;
}

function messageOf(error: ErrorReport | undefined, fallback: string): string {
  if (!error) return fallback;
  const headline = `${error.name ? `${error.name}: ` : ''}${error.message}`;
  return error.diff ? `${headline}\n\n${error.diff}` : headline;
}

function docCommands(doc: DocResult): string[] {
  const lines: string[] = [];
  if (doc.error) {
    lines.push(workflowCommand('error', { file: doc.error.file ?? doc.path, line: doc.error.line, col: doc.error.column, title: 'runbook: doc failed' }, messageOf(doc.error, 'doc failed')));
  }
  for (const block of doc.blocks) {
    if (block.status !== 'failed' && block.status !== 'timed-out') continue;
    const what = `block ${block.number} ${block.status === 'timed-out' ? 'timed out' : 'failed'}`;
    const line = block.error?.line ?? block.line;
    const col = block.error?.line ? block.error.column : undefined;
    lines.push(workflowCommand('error', { file: block.error?.file ?? doc.path, line, col, title: `runbook: ${what}` }, messageOf(block.error, what)));
  }
  if (doc.status === 'failed' && lines.length === 0) lines.push(workflowCommand('error', { file: doc.path, title: 'runbook: doc failed' }, 'doc failed'));
  if (doc.cleanedUp.length) lines.push(workflowCommand('warning', { file: doc.path, title: 'runbook: cleaned up after the doc' }, `cleaned up: ${doc.cleanedUp.join(', ')}`));
  for (const warning of doc.warnings) lines.push(workflowCommand('warning', { file: doc.path, title: 'runbook: warning' }, warning));
  return lines;
}

/** GitHub Actions annotations for failures and cleanup warnings, then a one-line summary. */
export class GithubReporter implements RunEvents {
  readonly #out: NodeJS.WritableStream;

  constructor(out: NodeJS.WritableStream = process.stdout) {
    this.#out = out;
  }

  onDocEnd(doc: DocResult): void {
    const lines = docCommands(doc);
    if (lines.length) this.#out.write(`${lines.join('\n')}\n`);
  }

  onRunEnd(run: RunResult): void {
    this.#out.write(`runbook: ${runCounts(run)} (${run.docs.length} docs) in ${formatDuration(run.durationMs)}\n`);
  }
}
