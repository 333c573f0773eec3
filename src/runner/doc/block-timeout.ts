import { maxTimeoutMs, timeoutLimitText } from '../../engine/timeout-limit.js';
import { runbookError } from '../../errors.js';
import type { Block, RunbookDocument } from '../../markdown/document.js';
import type { RunOptions } from '../run-options.js';

/** The limit in force for a block, and whether it is the doc's (--doc-timeout) rather than the block's own. */
export interface BlockLimit {
  ms: number;
  byDoc: boolean;
}

/** Throws RUNBOOK_INVALID_FRONTMATTER for a frontmatter `timeout` that is not a usable number of ms. */
export function checkFrontmatterTimeout(doc: RunbookDocument): void {
  const value = doc.frontmatter.timeout;
  if (value === undefined) return;
  if (typeof value !== 'number' || !Number.isInteger(value) || value <= 0) {
    throw runbookError('RUNBOOK_INVALID_FRONTMATTER', `${doc.path}: frontmatter timeout is ${JSON.stringify(value)}; use a whole number of milliseconds, e.g. timeout: 5000.`);
  }
  if (value > maxTimeoutMs) throw runbookError('RUNBOOK_INVALID_FRONTMATTER', `${doc.path}: frontmatter timeout ${value} is too long: ${timeoutLimitText}.`);
}

// The fence token wins over the frontmatter, which wins over --timeout; the doc's own deadline bounds them all.
export function blockTimeout(block: Block, doc: RunbookDocument, options: RunOptions, docDeadline?: number): BlockLimit {
  const fromDoc = doc.frontmatter.timeout;
  const ms = block.tokens.timeoutMs ?? (typeof fromDoc === 'number' ? fromDoc : options.timeout);
  if (docDeadline === undefined) return { ms, byDoc: false };
  const left = Math.max(docDeadline - Date.now(), 1);
  return left < ms ? { ms: left, byDoc: true } : { ms, byDoc: false };
}

export function timeoutError(limit: BlockLimit, docTimeout?: number): Error {
  if (limit.byDoc) return runbookError('RUNBOOK_BLOCK_TIMEOUT', `The doc ran out of time: --doc-timeout is ${docTimeout} ms.`);
  return runbookError('RUNBOOK_BLOCK_TIMEOUT', `Timed out after ${limit.ms} ms. Raise it with the fence token timeout=MS, frontmatter timeout, or --timeout.`);
}
