/**
 * Errors carry a stable `code` and are recognised by it, never by `instanceof`:
 * a doc or a config may load another copy of runbook, whose classes differ.
 */

/** Every code a runbook error carries; docs/errors.md says what each means and what to do. */
export const runbookErrorCodes = [
  // The command line, config and docs
  'RUNBOOK_USAGE',
  'RUNBOOK_CONFIG',
  'RUNBOOK_INVALID_FRONTMATTER',
  'RUNBOOK_DOC_TOO_LARGE',
  'RUNBOOK_STAMP_REFUSED',
  'RUNBOOK_UNSAFE_DIR',
  'RUNBOOK_NO_TYPESCRIPT',
  'RUNBOOK_BAD_REPORT',
  // Running a doc
  'RUNBOOK_SYNTAX',
  'RUNBOOK_TS_SYNTAX',
  'RUNBOOK_IMPORT',
  'RUNBOOK_BLOCK_TIMEOUT',
  'RUNBOOK_EXPECTED_THROW',
  'RUNBOOK_OUTPUT_MISMATCH',
  'RUNBOOK_SHELL_FAILED',
  'RUNBOOK_SKIP_DOC',
  'RUNBOOK_DOC_FAULT',
  'RUNBOOK_LEAKED',
  'RUNBOOK_SKIPPED',
  'RUNBOOK_INTERRUPTED',
  'RUNBOOK_EXECUTOR_LOST',
  'RUNBOOK_EXECUTOR_FAILED',
  // The container and its features
  'RUNBOOK_INVALID_OPTIONS',
  'RUNBOOK_INVALID_ARGUMENT',
  'RUNBOOK_UNKNOWN_FEATURE',
  'RUNBOOK_DISPOSED',
  'RUNBOOK_NO_ZOD',
  'RUNBOOK_INVALID_JSON',
  'RUNBOOK_EXEC_FAILED',
  'RUNBOOK_NO_FREE_PORT',
  // Websockets and ask/reply
  'RUNBOOK_ALREADY_STARTED',
  'RUNBOOK_PORT_IN_USE',
  'RUNBOOK_LISTEN_FAILED',
  'RUNBOOK_CONNECT_FAILED',
  'RUNBOOK_NOT_CONNECTED',
  'RUNBOOK_NOT_JSON',
  'RUNBOOK_SEND_FAILED',
  'RUNBOOK_ASK_TIMEOUT',
  'RUNBOOK_ASK_CANCELLED',
  'RUNBOOK_ASK_ERROR',
  'RUNBOOK_ALREADY_REPLIED',
  // ipcSocket and windowManager
  'RUNBOOK_IPC_PATH_TOO_LONG',
  'RUNBOOK_IPC_NOT_A_SOCKET',
  'RUNBOOK_IPC_SOCKET_IN_USE',
  'RUNBOOK_IPC_LISTEN_FAILED',
  'RUNBOOK_IPC_CONNECT_FAILED',
  'RUNBOOK_IPC_CLOSED',
  'RUNBOOK_WINDOW_ELECTION_FAILED',
  'RUNBOOK_WINDOW_BROKER_CLOSED',
  'RUNBOOK_WINDOW_BROKER_LOST',
  'RUNBOOK_WINDOW_NO_APP',
  'RUNBOOK_WINDOW_NO_SUCH_APP',
  'RUNBOOK_WINDOW_SEND_FAILED',
  'RUNBOOK_WINDOW_REFUSED',
  'RUNBOOK_WINDOW_FAILED',
  'RUNBOOK_WINDOW_TIMEOUT',
  // LLM features
  'RUNBOOK_LLM_NO_KEY',
  'RUNBOOK_LLM_AUTH',
  'RUNBOOK_LLM_UNREACHABLE',
  'RUNBOOK_LLM_HTTP',
  'RUNBOOK_LLM_EMPTY',
  'RUNBOOK_LLM_TURN_LIMIT',
  'RUNBOOK_LLM_REFUSAL',
  'RUNBOOK_LLM_INVALID_JSON',
  'RUNBOOK_LLM_SCHEMA_MISMATCH',
  'RUNBOOK_LLM_REPLAY_MISS',
  'RUNBOOK_LLM_RECORDING_INVALID',
  'RUNBOOK_INTERCEPTOR_NEXT_TWICE',
  'RUNBOOK_INTERCEPTOR_NO_RESULT',
  'RUNBOOK_UNKNOWN_INTERCEPT_POINT',
] as const;

export type RunbookErrorCode = (typeof runbookErrorCodes)[number];

/** An error runbook threw: an Error with a stable `code` (docs/errors.md lists them). Recognise one with isRunbookError(). */
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

const knownCodes: ReadonlySet<string> = new Set(runbookErrorCodes);

/**
 * Whether `value` is an error runbook threw; then its `code` says which
 * (`isRunbookError(error) && error.code === 'RUNBOOK_ASK_TIMEOUT'`). Works on
 * errors from any copy of runbook, where `instanceof` cannot.
 */
export function isRunbookError(value: unknown): value is RunbookError {
  if (typeof value !== 'object' || value === null) return false;
  const { code, message } = value as { code?: unknown; message?: unknown };
  return typeof message === 'string' && typeof code === 'string' && knownCodes.has(code);
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
