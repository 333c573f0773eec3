import type { ErrorReport } from '../../engine/error-report.js';
import type { DocResult } from '../results.js';

/** One thing that failed a doc, and where: what GitHub annotates and the step summary lists. */
export interface LocatedFailure {
  /** e.g. "block 2 failed", "block 3 timed out", "doc failed". */
  what: string;
  /** The doc's path as the run gave it. */
  doc: string;
  /** The file the failure is in: the doc, or a local TypeScript file it imported. */
  file: string;
  line?: number;
  column?: number;
  error?: ErrorReport;
}

/**
 * The failures of a doc, in order: its own error, then each failed or timed-out
 * block (at the line that threw, else its fence line), else a bare "doc failed"
 * so that a failed doc never goes unmentioned.
 */
export function locatedFailures(doc: DocResult): LocatedFailure[] {
  const failures: LocatedFailure[] = [];
  if (doc.error) failures.push({ what: 'doc failed', doc: doc.path, file: doc.error.file ?? doc.path, line: doc.error.line, column: doc.error.column, error: doc.error });
  for (const block of doc.blocks) {
    if (block.status !== 'failed' && block.status !== 'timed-out') continue;
    const what = `block ${block.number} ${block.status === 'timed-out' ? 'timed out' : 'failed'}`;
    const located = block.error?.line !== undefined;
    failures.push({ what, doc: doc.path, file: block.error?.file ?? doc.path, line: located ? block.error!.line : block.line, column: located ? block.error!.column : undefined, error: block.error });
  }
  if (doc.status === 'failed' && failures.length === 0) failures.push({ what: 'doc failed', doc: doc.path, file: doc.path });
  return failures;
}
