import type { ErrorReport } from '../engine/error-report.js';
import type { BlockResult, DocResult } from '../runner/results.js';

/**
 * What vitest shows for a failed block or doc: `doc.md:LINE:COL`, the message
 * and the code frame, as `runbook run` prints them. The stack names no frame of
 * runbook's own: the doc's stack (mapped to its lines) is all that helps.
 */
export function failureMessage(report: ErrorReport): string {
  const head = report.location ? `${report.location} ${report.message}` : report.message;
  return [head, report.diff, report.frame].filter(Boolean).join('\n\n');
}

/** A thrown Error for vitest, with the report's code and the doc's mapped stack. */
export function failureError(report: ErrorReport): Error {
  const error = new Error(failureMessage(report)) as Error & { code?: string };
  error.name = report.name && report.name !== 'Error' ? report.name : 'RunbookBlockFailed';
  if (report.code) error.code = report.code;
  const frames = report.stack?.split('\n').filter((line) => /^\s+at /.test(line)) ?? [];
  error.stack = [`${error.name}: ${error.message}`, ...frames].join('\n');
  return error;
}

/** Why a block that did not fail did not pass, for vitest's skip note. */
export function skipNote(result: Extract<BlockResult, { status: 'skipped' | 'not-run' }>): string {
  return result.reason || (result.status === 'not-run' ? 'not run' : 'skipped');
}

/** A failure of the doc not tied to one block (frontmatter, a fault after the last block, leaks), or undefined. */
export function docFailure(result: DocResult): Error | undefined {
  if (!result.error) return undefined;
  const { location, message } = result.error;
  return failureError(location || message.startsWith(result.path) ? result.error : { ...result.error, message: `${result.path}: ${message}` });
}
