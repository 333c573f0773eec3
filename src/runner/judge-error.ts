import { hasCode, messageOf } from '../errors.js';
import type { FenceTokens } from '../markdown/fence-tokens.js';

export type ErrorVerdict =
  /** A feature decided the doc cannot run here (e.g. no API key and no recording). */
  | { kind: 'skip-doc'; reason: string }
  /** The fence said `throws` and the error fits. */
  | { kind: 'expected'; value: string }
  | { kind: 'failure'; status: 'failed' | 'timed-out'; rewrite: (message: string) => string };

/** Decides what an error thrown by a block means, given the fence's tokens. */
export function judgeError(error: unknown, tokens: FenceTokens, fault: { error: unknown; origin: string } | undefined): ErrorVerdict {
  if (hasCode(error, 'RUNBOOK_SKIP_DOC')) return { kind: 'skip-doc', reason: messageOf(error) };
  const timedOut = hasCode(error, 'RUNBOOK_BLOCK_TIMEOUT');
  const fromFault = fault !== undefined && Object.is(fault.error, error);
  // Our own verdicts (no throw, timeout, syntax) never count as the block's expected error.
  const mayBeExpected = tokens.throws !== undefined && !fromFault && !timedOut && !hasCode(error, 'RUNBOOK_EXPECTED_THROW') && !hasCode(error, 'RUNBOOK_SYNTAX');
  const message = messageOf(error);
  if (mayBeExpected && (tokens.throws === true || message.includes(tokens.throws as string))) {
    return { kind: 'expected', value: `threw as expected: ${message}` };
  }
  const rewrite = (shown: string): string => {
    if (mayBeExpected) return `The fence says throws="${tokens.throws as string}" but the error was: ${shown}`;
    if (fromFault && fault.origin !== 'fault') return `${fault.origin}: ${shown}`;
    return shown;
  };
  return { kind: 'failure', status: timedOut ? 'timed-out' : 'failed', rewrite };
}
