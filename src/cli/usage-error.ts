import { parseArgs, type ParseArgsConfig } from 'node:util';
import type * as z from 'zod';
import { describeZodIssues } from '../container/options.js';
import { closest } from '../container/suggest.js';
import { runbookError, type RunbookError } from '../errors.js';

/** A mistake on the command line: exit code 2 and a message saying what to do. */
export function usageError(message: string): RunbookError {
  return runbookError('RUNBOOK_USAGE', message);
}

/** Turns node:util parseArgs errors into messages that name the fix. */
export function explainArgsError(error: unknown, known: string[], command: string): RunbookError {
  const message = (error as Error).message;
  const unknown = /Unknown option '([^']+)'/.exec(message)?.[1];
  if (unknown) {
    const guess = closest(unknown.replace(/^-+/, ''), known);
    return usageError(`Unknown option '${unknown}'.${guess ? ` Did you mean '--${guess}'?` : ''} Run 'runbook ${command} --help' to see the options.`);
  }
  const missing = /Option '([^']+)' argument missing/.exec(message)?.[1];
  if (missing) return usageError(`Option '${missing.split(', ').pop()}' needs a value. Run 'runbook ${command} --help'.`);
  return usageError(`${message}. Run 'runbook ${command} --help'.`);
}

/** A command's arguments parsed (strict, with positionals), a mistake turned into a message that names the fix. */
export function parseCommandArgs<const T extends ParseArgsConfig>(command: string, config: T): ReturnType<typeof parseArgs<T & { strict: true; allowPositionals: true }>> {
  try {
    return parseArgs({ ...config, strict: true, allowPositionals: true });
  } catch (error) {
    throw explainArgsError(error, Object.keys(config.options ?? {}), command);
  }
}

/** Flags that parsed but hold bad values (zod's issues), named as flags: `--jobs expected …, got …`. */
export function flagValuesError(error: z.ZodError, values: object, command: string): RunbookError {
  const lines = describeZodIssues(error, values).map((line) => line.replace(/^'([^'.]+)(?:\.\d+)?'/, '--$1'));
  return usageError(`${lines.join('; ')}. Run 'runbook ${command} --help'.`);
}
