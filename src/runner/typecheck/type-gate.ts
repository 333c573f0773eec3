import type { RunEvents } from '../events.js';
import type { DocResult } from '../results.js';
import { reportCheck, typeCheckResult } from './type-results.js';
import { typecheckDocs, type DocTypeCheck } from './typecheck-docs.js';

/**
 * For run --typecheck: checks every doc before any runs, and gives the ones
 * with type errors (by path). Those fail with their errors, nothing of them run.
 */
export function docsWithTypeErrors(paths: string[]): Map<string, DocTypeCheck> {
  return new Map(typecheckDocs(paths).filter((check) => check.diagnostics.length > 0).map((check) => [check.path, check]));
}

/** Reports a doc that failed its type check as a run's result. */
export function failOnTypeErrors(events: RunEvents, check: DocTypeCheck): DocResult {
  const result = typeCheckResult(check, true);
  reportCheck(events, check, result);
  return result;
}
