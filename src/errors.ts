/**
 * Errors carry a stable `code` and are recognised by it, never by `instanceof`:
 * doc code runs in a `node:vm` context, which is another realm.
 */
export type RunbookErrorCode =
  | 'RUNBOOK_USAGE'
  | 'RUNBOOK_NO_MATCH'
  | 'RUNBOOK_INVALID_FRONTMATTER'
  | 'RUNBOOK_SYNTAX'
  | 'RUNBOOK_BLOCK_FAILED'
  | 'RUNBOOK_BLOCK_TIMEOUT'
  | 'RUNBOOK_EXPECTED_THROW'
  | 'RUNBOOK_OUTPUT_MISMATCH'
  | 'RUNBOOK_INVALID_OPTIONS'
  | 'RUNBOOK_UNKNOWN_FEATURE'
  | 'RUNBOOK_DISPOSED'
  | (string & {});

export interface RunbookError extends Error {
  code: RunbookErrorCode;
}

export function runbookError(code: RunbookErrorCode, message: string, options?: { cause?: unknown }): RunbookError {
  const error = new Error(message, options) as RunbookError;
  error.code = code;
  return error;
}

export function hasCode(error: unknown, code: RunbookErrorCode): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === code;
}

/** Works on errors from any realm, and on thrown non-Errors. */
export function messageOf(error: unknown): string {
  if (typeof error === 'object' && error !== null && typeof (error as { message?: unknown }).message === 'string') {
    return (error as { message: string }).message;
  }
  try {
    return String(error);
  } catch {
    // A value whose toString throws still deserves a message.
    return Object.prototype.toString.call(error);
  }
}
