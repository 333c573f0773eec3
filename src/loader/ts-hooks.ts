import { statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { MessagePort } from 'node:worker_threads';
import { isTypeScriptFile, moduleFormat, transpileFile, typeScriptCandidates, withInlineMap } from '../engine/ts-files.js';
import type { TranspiledMessage } from '../engine/ts-imports.js';
import { RUN_ID_VARIABLE } from '../runner/process-sweep.js';

// Module hooks (Node's module.register, run on its loader thread; built to
// dist/ts-hooks.js): a doc's local TypeScript files load as transpiled
// JavaScript, and extensionless or `.js` specifiers find them. Every other
// module is left to Node. Each transpiled file's source map is posted to the
// main thread, where error reports map stack frames with it
// (src/engine/ts-imports.ts).

interface ResolveContext {
  parentURL?: string;
}
interface ResolveResult {
  url: string;
  format?: string | null;
}
interface LoadResult {
  format: string;
  source?: string | ArrayBuffer | Uint8Array;
  shortCircuit?: boolean;
}
type NextResolve = (specifier: string, context?: ResolveContext) => Promise<ResolveResult>;
type NextLoad = (url: string, context?: object) => Promise<LoadResult>;

let port: MessagePort | undefined;

export function initialize(data: { port?: MessagePort } | undefined): void {
  port = data?.port;
  // esbuild's service is started from this thread: a doc's run id in its environment would get it swept with the doc's processes.
  delete process.env[RUN_ID_VARIABLE];
}

const isFile = (path: string): boolean => statSync(path, { throwIfNoEntry: false })?.isFile() ?? false;

// Only paths: a package's own resolution is its business.
function typeScriptAlternative(specifier: string, parentURL: string | undefined): string | undefined {
  if (!parentURL?.startsWith('file:') || !/^(\.{1,2}\/|\/|file:)/.test(specifier)) return undefined;
  const wanted = fileURLToPath(new URL(specifier, parentURL));
  const found = typeScriptCandidates(wanted).find(isFile);
  return found && pathToFileURL(found).href;
}

export async function resolve(specifier: string, context: ResolveContext, nextResolve: NextResolve): Promise<ResolveResult> {
  try {
    return await nextResolve(specifier, context);
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    const alternative = code === 'ERR_MODULE_NOT_FOUND' || code === 'ERR_UNSUPPORTED_DIR_IMPORT' ? typeScriptAlternative(specifier, context.parentURL) : undefined;
    if (!alternative) throw error;
    return nextResolve(alternative, context);
  }
}

export async function load(url: string, context: object, nextLoad: NextLoad): Promise<LoadResult> {
  if (!url.startsWith('file:') || !isTypeScriptFile(url)) return nextLoad(url, context);
  const path = fileURLToPath(url);
  const transpiled = await transpileFile(path, await readFile(path, 'utf8'));
  port?.postMessage({ url, map: transpiled.map } satisfies TranspiledMessage);
  return { format: moduleFormat(path), source: withInlineMap(transpiled), shortCircuit: true };
}
