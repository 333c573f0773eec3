import { appendFileSync } from 'node:fs';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import type { RunEvents } from '../events.js';
import type { DocResult, RunResult } from '../results.js';
import { formatDuration, headlineOf, runCounts } from './format.js';
import { locatedFailures } from './located-failures.js';
import { stepSummary } from './step-summary.js';

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

/**
 * A path as GitHub annotates it: relative to the repository's checkout
 * (`workspace`, from GITHUB_WORKSPACE) when the file is inside it, with `/`
 * separators; otherwise (no workspace, a file outside it) as the run gave it.
 */
export function workspacePath(path: string, workspace: string | undefined, cwd = process.cwd()): string {
  if (!workspace) return path;
  const inside = relative(resolve(workspace), resolve(cwd, path));
  return inside && !inside.startsWith('..') && !isAbsolute(inside) ? inside.split(sep).join('/') : path;
}

function docCommands(doc: DocResult, shownPath: (path: string) => string): string[] {
  const lines = locatedFailures(doc).map(({ what, file, line, column, error }) => {
    const message = error?.diff ? `${headlineOf(error, what)}\n\n${error.diff}` : headlineOf(error, what);
    return workflowCommand('error', { file: shownPath(file), line, col: column, title: `runbook: ${what}` }, message);
  });
  const docFile = shownPath(doc.path);
  if (doc.cleanedUp.length) lines.push(workflowCommand('warning', { file: docFile, title: 'runbook: cleaned up after the doc' }, `cleaned up: ${doc.cleanedUp.join(', ')}`));
  for (const warning of doc.warnings) lines.push(workflowCommand('warning', { file: docFile, title: 'runbook: warning' }, warning));
  return lines;
}

export interface GithubReporterOptions {
  /** Where the annotations go (default stdout; GitHub reads workflow commands from stderr too). */
  out?: NodeJS.WritableStream;
  /** Where a step summary that cannot be written is reported (default stderr). */
  err?: NodeJS.WritableStream;
  /** GITHUB_WORKSPACE (annotation paths) and GITHUB_STEP_SUMMARY (the Markdown summary's file); default process.env. */
  env?: NodeJS.ProcessEnv;
  /** End with a one-line summary of the run (default true; off beside a reporter that has its own). */
  summaryLine?: boolean;
}

/**
 * GitHub Actions: an annotation per failure and cleanup warning, at paths
 * relative to the checkout; a one-line summary; and, when GITHUB_STEP_SUMMARY
 * names a file, the run as Markdown appended to it (never truncated: other
 * steps' summaries may be in it).
 */
export class GithubReporter implements RunEvents {
  readonly #out: NodeJS.WritableStream;
  readonly #err: NodeJS.WritableStream;
  readonly #summaryFile: string | undefined;
  readonly #summaryLine: boolean;
  readonly #shownPath: (path: string) => string;

  constructor({ out = process.stdout, err = process.stderr, env = process.env, summaryLine = true }: GithubReporterOptions = {}) {
    this.#out = out;
    this.#err = err;
    this.#summaryFile = env.GITHUB_STEP_SUMMARY || undefined;
    this.#summaryLine = summaryLine;
    const workspace = env.GITHUB_WORKSPACE || undefined;
    this.#shownPath = (path) => workspacePath(path, workspace);
  }

  onDocEnd(doc: DocResult): void {
    const lines = docCommands(doc, this.#shownPath);
    if (lines.length) this.#out.write(`${lines.join('\n')}\n`);
  }

  onRunEnd(run: RunResult): void {
    if (this.#summaryLine) this.#out.write(`runbook: ${runCounts(run)} (${run.docs.length} docs) in ${formatDuration(run.durationMs)}\n`);
    if (this.#summaryFile) this.#appendSummary(this.#summaryFile, run);
  }

  // A summary that cannot be written costs the summary, not the run's result: say so and go on.
  #appendSummary(file: string, run: RunResult): void {
    try {
      appendFileSync(file, `\n${stepSummary(run, this.#shownPath)}`);
    } catch (error) {
      this.#err.write(`runbook: could not append the step summary to GITHUB_STEP_SUMMARY (${file}): ${(error as Error).message}. The annotations and reports are complete; check the variable if you set it yourself.\n`);
    }
  }
}
