import type { z } from 'zod';
import { runbookError } from '../errors.js';

function describeValue(value: unknown): string {
  if (value === undefined) return 'undefined';
  let shown: string;
  try {
    shown = typeof value === 'string' ? JSON.stringify(value) : typeof value === 'function' ? '[function]' : JSON.stringify(value) ?? String(value);
  } catch {
    shown = String(value);
  }
  if (shown.length > 60) shown = `${shown.slice(0, 57)}...`;
  const type = value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value;
  return `${shown} (${type})`;
}

function valueAt(input: unknown, path: PropertyKey[]): unknown {
  let current = input;
  for (const key of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<PropertyKey, unknown>)[key];
  }
  return current;
}

/** One line per problem: which option, what was given, what was expected. */
export function describeZodIssues(error: z.ZodError, input: unknown): string[] {
  return error.issues.map((issue) => {
    const path = issue.path.length ? issue.path.map(String).join('.') : '(options)';
    if (issue.code === 'unrecognized_keys') {
      return `unknown option${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `'${k}'`).join(', ')}`;
    }
    const got = valueAt(input, issue.path);
    const values = 'values' in issue && Array.isArray(issue.values) ? issue.values : undefined;
    const expected = values
      ? `expected one of ${values.map(String).join(', ')}`
      : 'expected' in issue && issue.expected
        ? `expected ${String(issue.expected)}`
        : issue.message;
    if (issue.code === 'invalid_type' || issue.code === 'invalid_value' || issue.code === 'invalid_union') {
      return `'${path}' ${expected}, got ${describeValue(got)}`;
    }
    return `'${path}': ${issue.message}, got ${describeValue(got)}`;
  });
}

/** Validates `options` against a schema or throws an error naming the owner, the option and the value. */
export function parseOptions<T>(schema: z.ZodType<T>, input: unknown, owner: string): T {
  const result = schema.safeParse(input ?? {});
  if (result.success) return result.data;
  const lines = describeZodIssues(result.error, input ?? {});
  throw runbookError('RUNBOOK_INVALID_OPTIONS', `Invalid options for ${owner}: ${lines.join('; ')}.`, {
    cause: result.error,
  });
}
