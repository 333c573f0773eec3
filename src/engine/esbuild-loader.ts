import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Loader, TransformOptions } from 'esbuild';

// esbuild is loaded only when a block is not in the transpile cache: a repeat
// run of unchanged docs never pays for it. require() rather than import():
// Node scans a CommonJS module imported from ESM for its export names first,
// which for esbuild's large main.js costs more than loading it.
type Esbuild = typeof import('esbuild');

const require = createRequire(import.meta.url);
let loaded: Esbuild | undefined;
let version: string | undefined;

export function loadEsbuild(): Esbuild {
  loaded ??= require('esbuild') as Esbuild;
  return loaded;
}

/** esbuild's version, without loading esbuild: part of every cache key. */
export function esbuildVersion(): string {
  if (version === undefined) {
    try {
      version = String((JSON.parse(readFileSync(require.resolve('esbuild/package.json'), 'utf8')) as { version?: unknown }).version);
    } catch {
      version = loadEsbuild().version;
    }
  }
  return version;
}

/** The one set of transform options every block is transpiled with (they are part of the cache key). */
export function transformOptions(loader: Loader, sourcefile: string): TransformOptions {
  return {
    loader,
    sourcefile,
    sourcemap: 'external',
    target: 'esnext',
    // Keep imports a block does not use itself: later blocks may use them.
    tsconfigRaw: { compilerOptions: { verbatimModuleSyntax: true } },
    jsx: 'automatic',
    logLevel: 'silent',
  };
}

/** The first error of a failed transform, if it is one esbuild reported. */
export function firstTransformError(error: unknown): { text: string; line: number; column: number } | undefined {
  const first = (error as { errors?: { text: string; location?: { line: number; column: number } | null }[] })?.errors?.[0];
  if (!first) return undefined;
  return { text: first.text, line: (first.location?.line ?? 1) - 1, column: first.location?.column ?? 0 };
}
