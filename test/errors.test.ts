import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { isRunbookError, runbookError, runbookErrorCodes } from '../src/errors.js';

const root = fileURLToPath(new URL('..', import.meta.url));
// Environment variables share the prefix; they are no error codes.
const environmentVariables = ['RUNBOOK_RUN_ID', 'RUNBOOK_PARKED_EXTRA_CA_CERTS'];

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? sourceFiles(join(dir, entry.name)) : entry.name.endsWith('.ts') ? [join(dir, entry.name)] : [],
  );
}

function codesIn(text: string, pattern: RegExp): string[] {
  return [...new Set([...text.matchAll(pattern)].map((match) => match[1]!))].sort();
}

describe('error codes', () => {
  const listed = [...runbookErrorCodes].sort();

  it('lists every code the source uses, and no other', () => {
    const used = codesIn(sourceFiles(join(root, 'src')).filter((file) => !file.endsWith('errors.ts')).map((file) => readFileSync(file, 'utf8')).join('\n'), /['"`](RUNBOOK_[A-Z_]+)['"`]/g);
    expect(used.filter((code) => !environmentVariables.includes(code))).toEqual(listed);
  });

  it('documents every code in docs/errors.md', () => {
    expect(codesIn(readFileSync(join(root, 'docs/errors.md'), 'utf8'), /^\| `(RUNBOOK_[A-Z_]+)` \|/gm)).toEqual(listed);
  });

  it('makes errors recognised by their code', () => {
    const error = runbookError('RUNBOOK_USAGE', 'Unknown flag --x.', { cause: 'why' });
    expect({ message: error.message, code: error.code, cause: error.cause }).toEqual({ message: 'Unknown flag --x.', code: 'RUNBOOK_USAGE', cause: 'why' });
  });

  it('isRunbookError knows runbook errors by their code, from any copy of runbook', () => {
    expect(isRunbookError(runbookError('RUNBOOK_ASK_TIMEOUT', 'no answer'))).toBe(true);
    // Another copy's error is a plain object with the same shape: no instanceof needed.
    expect(isRunbookError({ name: 'Error', message: 'no answer', code: 'RUNBOOK_ASK_TIMEOUT' })).toBe(true);
    expect(isRunbookError(Object.assign(new Error('gone'), { code: 'ENOENT' }))).toBe(false);
    expect(isRunbookError({ code: 'RUNBOOK_ASK_TIMEOUT' })).toBe(false);
    expect(isRunbookError('RUNBOOK_ASK_TIMEOUT')).toBe(false);
    expect(isRunbookError(null)).toBe(false);
  });
});
