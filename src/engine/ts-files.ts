import { createHash } from 'node:crypto';
import { basename, extname } from 'node:path';
import type { TransformOptions, TransformResult } from 'esbuild';
import { esbuildVersion, firstTransformError, loadEsbuild } from './esbuild-loader.js';
import { FileCache } from './file-cache.js';

// Local TypeScript files a doc imports (`./helper.ts`), transpiled one file at
// a time by the module hooks on Node's loader thread (src/loader/ts-hooks.ts),
// through a content-hash cache on disk: a warm run never loads esbuild.

/** Extensions the module hooks transpile. */
export const typeScriptExtensions = ['.ts', '.tsx', '.mts', '.cts'] as const;

/** esbuild's output for one file: JavaScript, and its source map as JSON. */
export interface TranspiledFile {
  code: string;
  map: string;
}

/** Where in a file other than the doc an error is (1-based). */
export interface FilePosition {
  file: string;
  line: number;
  column: number;
}

const formatVersion = 1;
const cache = new FileCache<TranspiledFile>(`ts-files-v${formatVersion}`, (value) => {
  const entry = value as { code?: unknown; map?: unknown } | null;
  return typeof entry?.code === 'string' && typeof entry.map === 'string' ? { code: entry.code, map: entry.map } : undefined;
});

/** True for a path (or file URL, query and hash allowed) the hooks transpile. */
export function isTypeScriptFile(path: string): boolean {
  return (typeScriptExtensions as readonly string[]).includes(extname(path.replace(/[?#].*$/, '')));
}

/** Node's module format for a transpiled file: `.cts` is CommonJS, every other TypeScript file an ES module. */
export function moduleFormat(path: string): 'module' | 'commonjs' {
  return extname(path) === '.cts' ? 'commonjs' : 'module';
}

function optionsFor(path: string): TransformOptions {
  return {
    loader: extname(path) === '.tsx' ? 'tsx' : 'ts',
    format: moduleFormat(path) === 'commonjs' ? 'cjs' : 'esm',
    // The basename: Node resolves a map's sources from the module's own URL.
    sourcefile: basename(path),
    sourcemap: 'external',
    target: 'esnext',
    jsx: 'automatic',
    logLevel: 'silent',
  };
}

function keyOf(path: string, source: string): string {
  return createHash('sha256')
    .update(`${formatVersion}\0${esbuildVersion()}\0${JSON.stringify(optionsFor(path))}\0`)
    .update(source)
    .digest('hex');
}

/** A syntax error esbuild found, located in the TypeScript file itself. */
function syntaxError(path: string, error: unknown): Error {
  const first = firstTransformError(error);
  if (!first) return error instanceof Error ? error : new Error(String(error));
  const located = new SyntaxError(first.text) as SyntaxError & { code: string; filePosition: FilePosition };
  located.code = 'RUNBOOK_TS_SYNTAX';
  located.filePosition = { file: path, line: first.line + 1, column: first.column + 1 };
  return located;
}

function remember(key: string, result: TransformResult): TranspiledFile {
  const entry = { code: result.code, map: result.map };
  cache.set(key, entry);
  return entry;
}

/** Transpiles `source` (the text of `path`), from the cache when it can. */
export async function transpileFile(path: string, source: string): Promise<TranspiledFile> {
  const key = keyOf(path, source);
  const cached = cache.get(key);
  if (cached) return cached;
  try {
    return remember(key, await loadEsbuild().transform(source, optionsFor(path)));
  } catch (error) {
    throw syntaxError(path, error);
  }
}

/** The code Node runs for a transpiled file: with its map inline, for debuggers and --enable-source-maps. */
export function withInlineMap({ code, map }: TranspiledFile): string {
  return `${code}//# sourceMappingURL=data:application/json;base64,${Buffer.from(map).toString('base64')}\n`;
}

// What a relative specifier that names no file may mean, as TypeScript resolves it:
// `./helper` → `./helper.ts`…, `./helper.js` → `./helper.ts` (the output's name).
const replacements: Record<string, string[]> = { '.js': ['.ts', '.tsx'], '.jsx': ['.tsx'], '.mjs': ['.mts'], '.cjs': ['.cts'] };
const appended = [...typeScriptExtensions, '/index.ts', '/index.tsx'];

/** The TypeScript files, in the order tried, that `path` (which does not exist) may stand for. */
export function typeScriptCandidates(path: string): string[] {
  const extension = extname(path);
  const instead = replacements[extension];
  if (instead) return instead.map((replacement) => path.slice(0, -extension.length) + replacement);
  return appended.map((suffix) => path + suffix);
}
