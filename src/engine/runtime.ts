import { createNotebookBindings, type NotebookBindings } from './notebook-bindings.js';

/** Where a thrown non-Error came from: it has no stack of its own. */
export interface ThrowSite {
  value: unknown;
  blockIndex: number;
  offset: number;
}

/** What the rewritten block code calls into (see hoist.ts), installed as a hidden global for the doc. */
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

// `in`, not a read: reading .stack runs Error.prepareStackTrace, which a doc may have made throw.
function isErrorLike(value: unknown): boolean {
  return typeof value === 'object' && value !== null && 'stack' in value;
}

/** The runtime of one doc: its importer and import.meta; declarations land on this realm's globalThis. */
export function createRuntime(options: Pick<DocRuntime, 'import' | 'importMeta'>): DocRuntime {
  const runtime: DocRuntime = {
    global: globalThis as unknown as Record<string, unknown>,
    bindings: createNotebookBindings(globalThis),
    import: options.import,
    importMeta: options.importMeta,
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
  return runtime;
}
