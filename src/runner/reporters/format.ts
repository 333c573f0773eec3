import pc from 'picocolors';
import type { ErrorReport } from '../../engine/error-report.js';
import type { BlockResult, DocResult, RunResult } from '../results.js';

export type Colors = ReturnType<typeof pc.createColors>;

export function colorsFor(stream: NodeJS.WriteStream): Colors {
  const forced = process.env.FORCE_COLOR;
  const enabled = process.env.NO_COLOR ? false : forced !== undefined ? forced !== '0' && forced !== 'false' : Boolean(stream.isTTY);
  return pc.createColors(enabled);
}

/** The run's docs by outcome, as every summary line says them: `2 passed, 1 failed, 0 skipped[, 3 not run]`. */
export function runCounts(run: RunResult): string {
  const counts = `${run.passed} passed, ${run.failed} failed, ${run.skipped} skipped`;
  return run.notRun ? `${counts}, ${run.notRun} not run` : counts;
}

export function formatDuration(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(2)} s`;
}

export function indent(text: string, prefix = '    '): string {
  return text
    .split('\n')
    .map((line) => (line ? prefix + line : line))
    .join('\n');
}

/** The error of a block or doc: location, message, code frame, diff, stack. */
export function formatError(error: ErrorReport, c: Colors): string {
  const lines: string[] = [];
  const name = error.name ? `${error.name}: ` : '';
  lines.push(`${error.location ? `${c.cyan(error.location)} ` : ''}${c.red(name + error.message)}`);
  if (error.frame) lines.push('', c.dim(error.frame));
  if (error.diff) {
    lines.push('');
    for (const line of error.diff.split('\n')) {
      lines.push(line.startsWith('+') ? c.green(line) : line.startsWith('-') ? c.red(line) : line);
    }
  }
  if (error.stack) lines.push('', c.dim(error.stack));
  return lines.join('\n');
}

/** An error's first line in every report: `Name: message`, or the fallback when there is no error. */
export function headlineOf(error: ErrorReport | undefined, fallback: string): string {
  if (!error) return fallback;
  return `${error.name ? `${error.name}: ` : ''}${error.message}`;
}

/** An error's one-line summary: "TypeError: boom". */
export const errorHeadline = (error: ErrorReport) => headlineOf(error, '');

/** How every report names a block: "block 3 (ts, line 12)", counting code and shell blocks only. */
export function blockLabel(block: Pick<BlockResult, 'number' | 'lang' | 'line'>): string {
  return `block ${block.number} (${block.lang || 'code'}, line ${block.line})`;
}

export function docFailures(doc: DocResult, c: Colors): string[] {
  const out: string[] = [];
  if (doc.error) out.push(indent(formatError(doc.error, c)));
  for (const block of doc.blocks) {
    if (block.status !== 'failed' && block.status !== 'timed-out') continue;
    out.push(indent(`${c.bold(blockLabel(block))} ${block.status === 'timed-out' ? 'timed out' : 'failed'}:`, '  '));
    if (block.error) out.push(indent(formatError(block.error, c)));
    const printed = (block.stdout + block.stderr).trimEnd();
    if (printed) out.push(indent(`${c.dim('output:')}\n${printed.split('\n').slice(-10).join('\n')}`));
  }
  return out;
}
