import type { ErrorReport } from '../../engine/error-report.js';
import type { DocResult, RunResult } from '../results.js';
import { blockLabel, type Colors } from './format.js';

// The first line of an error as a recap shows it: where, and what.
function headline(error: ErrorReport | undefined, fallback: string, c: Colors): string {
  if (!error) return c.red(fallback);
  const message = `${error.name ? `${error.name}: ` : ''}${error.message.split('\n')[0]}`;
  return `${error.location ? `${c.cyan(error.location)} ` : ''}${c.red(message)}`;
}

function docFailureLines(doc: DocResult, c: Colors): string[] {
  const lines: string[] = [];
  const mark = c.red('✗');
  if (doc.error) lines.push(`  ${mark} ${doc.path}`, `    ${headline(doc.error, 'doc failed', c)}`);
  for (const block of doc.blocks) {
    if (block.status !== 'failed' && block.status !== 'timed-out') continue;
    const what = block.status === 'timed-out' ? 'block timed out' : 'block failed';
    lines.push(`  ${mark} ${doc.path} › ${blockLabel(block)}`, `    ${headline(block.error, what, c)}`);
  }
  if (doc.status === 'failed' && lines.length === 0) lines.push(`  ${mark} ${doc.path}`);
  return lines;
}

/**
 * What a run of several docs has scrolled away, repeated under it as vitest
 * does: every failure (doc, block, `doc.md:LINE:COL`, message), then every
 * skipped doc with its reason. Empty when there is nothing to repeat.
 */
export function runRecap(run: RunResult, c: Colors): string[] {
  const failed = run.docs.filter((doc) => doc.status === 'failed');
  const skipped = run.docs.filter((doc) => doc.status === 'skipped');
  const lines: string[] = [];
  if (failed.length) lines.push('', c.bold(c.red(`Failed (${failed.length}):`)), ...failed.flatMap((doc) => docFailureLines(doc, c)));
  if (skipped.length) lines.push('', c.bold(c.yellow(`Skipped (${skipped.length}):`)), ...skipped.map((doc) => `  ${c.yellow('○')} ${doc.path}: ${doc.skipReason ?? 'no reason given'}`));
  return lines;
}
