import { isDeepStrictEqual } from 'node:util';
import { runbookError, type RunbookError } from '../errors.js';

/** One top-level key whose value a stamp would change. */
export interface ValueChange {
  key: string;
  before: unknown;
  after: unknown;
}

/** The keys other than `ignored` whose values differ between two parses of the frontmatter. */
export function changedValues(before: Record<string, unknown>, after: Record<string, unknown>, ignored: readonly string[]): ValueChange[] {
  const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
  return [...keys]
    .filter((key) => !ignored.includes(key) && !isDeepStrictEqual(before[key], after[key]))
    .map((key) => ({ key, before: before[key], after: after[key] }));
}

function show(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value instanceof Date) return value.toISOString();
  return JSON.stringify(value);
}

/** The error a refused stamp is reported with: where, and what would have changed. */
export function stampRefused(where: string, changes: ValueChange[]): RunbookError {
  const [first, ...rest] = changes as [ValueChange, ...ValueChange[]];
  const more = rest.length ? ` (and ${rest.map((change) => change.key).join(', ')})` : '';
  return runbookError(
    'RUNBOOK_STAMP_REFUSED',
    `${where}: not stamped: the stamp would also change ${first.key} from ${show(first.before)} to ${show(first.after)}${more}. ` +
      'Give lastTested and lastTestPassed values that no other key aliases; the file was left untouched.',
  );
}

/** A stamp refused because a parser rejects the frontmatter (before or after the edit). */
export function stampUnreadable(where: string, reason: string, cause: unknown): RunbookError {
  return runbookError('RUNBOOK_STAMP_REFUSED', `${where}: not stamped: ${reason}; the file was left untouched.`, { cause });
}
