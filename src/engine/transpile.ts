import { transformSync, type Loader } from 'esbuild';
import { runbookError } from '../errors.js';

export interface Transpiled {
  code: string;
  /** esbuild's source map (JSON text), absent when the code was already JavaScript. */
  map?: string;
}

/** A syntax error at a position of the block's own source (0-based). */
export interface BlockSyntaxError {
  message: string;
  line: number;
  column: number;
}

const loaders: Record<string, Loader> = { ts: 'ts', typescript: 'ts', mts: 'ts', tsx: 'tsx', jsx: 'jsx' };

/** Plain JavaScript needs no transpiling: acorn reads it as it is. */
export function needsTranspile(lang: string): boolean {
  return lang in loaders;
}

let serviceStarted = false;

/**
 * Starts esbuild's service process now, before a doc's processes are marked
 * (see runner/process-sweep.ts): started later, it would inherit the doc's
 * marker and be swept away with the doc's own processes.
 */
export function startTranspiler(): void {
  if (serviceStarted) return;
  transformSync('', { loader: 'ts' });
  serviceStarted = true;
}

export function transpile(source: string, lang: string, sourcefile: string): Transpiled {
  const loader = loaders[lang];
  if (!loader) return { code: source };
  serviceStarted = true;
  try {
    const result = transformSync(source, {
      loader,
      sourcefile,
      sourcemap: 'external',
      target: 'esnext',
      // Keep imports a block does not use itself: later blocks may use them.
      tsconfigRaw: { compilerOptions: { verbatimModuleSyntax: true } },
      jsx: 'automatic',
      logLevel: 'silent',
    });
    return { code: result.code, map: result.map };
  } catch (error) {
    const first = (error as { errors?: { text: string; location?: { line: number; column: number } | null }[] }).errors?.[0];
    if (!first) throw error;
    const syntaxError: BlockSyntaxError = {
      message: first.text,
      line: (first.location?.line ?? 1) - 1,
      column: first.location?.column ?? 0,
    };
    throw Object.assign(runbookError('RUNBOOK_SYNTAX', first.text, { cause: error }), { at: syntaxError });
  }
}
