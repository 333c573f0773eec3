import type { RunEvents } from '../events.js';
import type { DocResult } from '../results.js';
import { reportCheck, typeCheckResult } from './type-results.js';
import { typecheckDocs } from './typecheck-docs.js';

/**
 * For --typecheck: checks every doc before any runs. The function it returns
 * gives, for a doc with type errors, its failed result (reported to the events
 * it is given: nothing of it runs), and undefined for a doc that may run.
 * Callers load this module only when asked to check: the checker is no part of
 * a plain run's start.
 */
export function typeGate(paths: string[]): (path: string, events: RunEvents) => DocResult | undefined {
  const failing = new Map(typecheckDocs(paths).filter((check) => check.diagnostics.length > 0).map((check) => [check.path, check]));
  return (path, events) => {
    const check = failing.get(path);
    if (!check) return undefined;
    const result = typeCheckResult(check, true);
    reportCheck(events, check, result);
    return result;
  };
}
