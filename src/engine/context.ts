import { createRequire } from 'node:module';
import { basename, dirname } from 'node:path';
import { pathToFileURL } from 'node:url';
import vm from 'node:vm';
import type { Container } from '../container/container.js';
import { globalFeatureNames } from '../features/index.js';
import { createDocImporter } from './doc-import.js';
import { createDocProcess } from './doc-process.js';
import { createNotebookBindings, type NotebookBindings } from './notebook-bindings.js';
import { RUNTIME } from './runtime-name.js';
import type { OutputCapture } from './output-capture.js';
import type { TrackedTimers } from './timers.js';
import { zodForDocs } from './zod-for-docs.js';

/** Where a thrown non-Error came from: it has no stack of its own. */
export interface ThrowSite {
  value: unknown;
  blockIndex: number;
  offset: number;
}

/** What the rewritten block code calls into (see hoist.ts). */
export interface DocRuntime {
  global: Record<string, unknown>;
  /** Where blocks declare their names (see hoist.ts); `restore()` removes them. */
  bindings: NotebookBindings;
  import(specifier: string): Promise<unknown>;
  importMeta: { url: string; filename: string; dirname: string };
  withDefault(namespace: Record<string, unknown>): Record<string, unknown>;
  defaultOf(namespace: Record<string, unknown>): unknown;
  thrown(value: unknown, blockIndex: number, offset: number): unknown;
  lastThrow?: ThrowSite;
}

export interface DocInfo {
  path: string;
  dir: string;
  title: string;
  frontmatter: Record<string, unknown>;
}

export interface DocContextOptions {
  container: Container;
  doc: DocInfo;
  capture: OutputCapture;
  timers: TrackedTimers;
  env: NodeJS.ProcessEnv;
  onFault(error: Error): void;
}

const lazyNodeGlobals = ['performance', 'FormData', 'Headers', 'Request', 'Response', 'MessageChannel', 'BroadcastChannel'] as const;

function isErrorLike(value: unknown): boolean {
  return typeof value === 'object' && value !== null && typeof (value as { stack?: unknown }).stack === 'string';
}

/** A global read through `get` until the doc assigns its own value to the name. */
function defineLazyGlobal(sandbox: Record<string, unknown>, name: string, get: () => unknown): void {
  Object.defineProperty(sandbox, name, {
    configurable: true,
    enumerable: true,
    get,
    set: (value: unknown) => Object.defineProperty(sandbox, name, { value, writable: true, configurable: true, enumerable: true }),
  });
}

/** A fresh vm context holding the container, core features and the usual Node globals. */
export function createDocContext(options: DocContextOptions): { context: vm.Context; runtime: DocRuntime } {
  const { container, doc, capture, timers, env } = options;
  const sandbox: Record<string, unknown> = {
    container,
    console: capture.console,
    ...timers.globals,
    process: createDocProcess(env, options.onFault),
    require: createRequire(doc.path),
    $doc: doc,
    Buffer,
    fetch,
    URL,
    URLSearchParams,
    AbortController,
    AbortSignal,
    TextEncoder,
    TextDecoder,
    structuredClone,
    queueMicrotask,
    crypto: globalThis.crypto,
    atob,
    btoa,
    Blob,
    Event,
    EventTarget,
  };
  // Node defines these lazily: the first read of Headers, Request… loads undici
  // (~25 ms), MessageChannel the worker messaging (~9 ms). Read through, so a
  // doc that never uses them never pays.
  for (const name of lazyNodeGlobals) defineLazyGlobal(sandbox, name, () => (globalThis as Record<string, unknown>)[name]);
  defineLazyGlobal(sandbox, 'z', zodForDocs);
  // Core features are created on first use: most docs touch one or two.
  for (const name of globalFeatureNames) {
    if (container.has(name)) defineLazyGlobal(sandbox, name, () => container.feature(name));
  }
  const context = vm.createContext(sandbox, { name: basename(doc.path) });
  const globalObject = vm.runInContext('globalThis', context) as Record<string, unknown>;
  const importer = createDocImporter(dirname(doc.path));
  const runtime: DocRuntime = {
    global: globalObject,
    bindings: createNotebookBindings(globalObject),
    import: importer,
    importMeta: { url: pathToFileURL(doc.path).href, filename: doc.path, dirname: dirname(doc.path) },
    withDefault(namespace) {
      const fallback = namespace.default;
      if (!fallback || typeof fallback !== 'object') return namespace;
      return { ...(fallback as Record<string, unknown>), ...namespace };
    },
    defaultOf: (namespace) => namespace.default,
    thrown(value, blockIndex, offset) {
      if (!isErrorLike(value)) runtime.lastThrow = { value, blockIndex, offset };
      return value;
    },
  };
  Object.defineProperty(globalObject, RUNTIME, { value: runtime, enumerable: false });
  Object.defineProperty(globalObject, 'globalThis', { value: globalObject, enumerable: false, writable: true, configurable: true });
  return { context, runtime };
}
