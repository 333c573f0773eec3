import { runbookError } from '../errors.js';
import { maxTimeoutMs, timeoutLimitText } from '../timeout-limit.js';

/** What a fence's info string says about its block. */
export interface FenceTokens {
  skip: boolean;
  silent: boolean;
  eval: boolean;
  always: boolean;
  output: boolean;
  /** Not type-checked by `runbook check` / `run --typecheck`. */
  nocheck: boolean;
  /** Present when the block must throw; a string when the message must contain it. */
  throws?: true | string;
  timeoutMs?: number;
  /** Every token as written, for anyone who needs the rest. */
  raw: string[];
}

// Splits on whitespace but keeps quoted values together: throws="not found" is one token.
function splitTokens(meta: string): string[] {
  return meta.match(/[^\s"'=]+(?:=(?:"[^"]*"|'[^']*'|[^\s]*))?|"[^"]*"|'[^']*'/g) ?? [];
}

function unquote(value: string): string {
  return /^(["']).*\1$/s.test(value) ? value.slice(1, -1) : value;
}

/** The tokens of a fence that has none. */
export function noFenceTokens(): FenceTokens {
  return { skip: false, silent: false, eval: false, always: false, output: false, nocheck: false, raw: [] };
}

/** True for the tokens of a fence that has none (see noFenceTokens). */
export function isNoFenceTokens(tokens: FenceTokens): boolean {
  return tokens.raw.length === 0 && !tokens.skip && !tokens.silent && !tokens.eval && !tokens.always && !tokens.output && !tokens.nocheck && tokens.throws === undefined && tokens.timeoutMs === undefined;
}

export function parseFenceTokens(meta: string | null | undefined, where: string): FenceTokens {
  const tokens = noFenceTokens();
  for (const token of splitTokens(meta ?? '')) {
    tokens.raw.push(token);
    const [key, ...rest] = token.split('=');
    const value = rest.length ? unquote(rest.join('=')) : undefined;
    switch (key) {
      case 'skip':
      case 'silent':
      case 'eval':
      case 'always':
      case 'output':
      case 'nocheck':
        tokens[key] = true;
        break;
      case 'throws':
        tokens.throws = value === undefined || value === '' ? true : value;
        break;
      case 'timeout': {
        const ms = Number(value);
        if (value === undefined || !Number.isInteger(ms) || ms <= 0) {
          throw runbookError(
            'RUNBOOK_USAGE',
            `${where}: fence token 'timeout=${value ?? ''}' needs a whole number of milliseconds greater than 0, e.g. timeout=5000.`,
          );
        }
        if (ms > maxTimeoutMs) throw runbookError('RUNBOOK_USAGE', `${where}: fence token 'timeout=${value}' is too long: ${timeoutLimitText}.`);
        tokens.timeoutMs = ms;
        break;
      }
      default:
        break; // Other tools put their own tokens in info strings; leave them be.
    }
  }
  return tokens;
}
