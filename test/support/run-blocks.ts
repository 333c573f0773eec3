import vm from 'node:vm';
import { createNotebookBindings, type NotebookBindings } from '../../src/engine/notebook-bindings.js';
import { RUNTIME } from '../../src/engine/runtime-name.js';
import { runBlockCode } from '../../src/engine/run-block.js';

/** A block as the runner gets it from compiling: the script and whether it is async. */
export interface RunnableBlock {
  code: string;
  isAsync: boolean;
  globalFunctions?: string[];
}

export type Realm = 'vm context' | 'main realm';

export interface BlockRunner {
  global: Record<string, unknown>;
  bindings: NotebookBindings;
  thrown: unknown[];
  /** Runs one block and gives its completion value, boxed so a promise value is not awaited. */
  run(block: RunnableBlock, index: number): Promise<{ value: unknown }>;
  /** Removes the doc's names (main realm) and the runtime; a vm context is just dropped. */
  close(): void;
}

/**
 * Runs compiled blocks one after another in one global scope, as the runner does: in a
 * fresh vm context, or (as executors will) in this realm with `runInThisContext`.
 */
export function blockRunner(realm: Realm, imports: Record<string, Record<string, unknown>> = {}): BlockRunner {
  const context = realm === 'vm context' ? vm.createContext({ console }) : undefined;
  const global = (context ? vm.runInContext('globalThis', context) : globalThis) as Record<string, unknown>;
  const thrown: unknown[] = [];
  const bindings = createNotebookBindings(global);
  const runtime = {
    global,
    bindings,
    import: async (specifier: string) => {
      const module = imports[specifier];
      if (!module) throw new Error(`no module ${specifier}`);
      return module;
    },
    importMeta: { url: 'file:///doc.md', filename: '/doc.md', dirname: '/' },
    withDefault: (ns: Record<string, unknown>) => ns,
    defaultOf: (ns: Record<string, unknown>) => ns.default,
    thrown: (value: unknown, blockIndex: number, offset: number) => {
      thrown.push({ value, blockIndex, offset });
      return value;
    },
  };
  Object.defineProperty(global, RUNTIME, { value: runtime, configurable: true });
  return {
    global,
    bindings,
    thrown,
    async run(block, index) {
      if (block.globalFunctions) bindings.declareFunctions(block.globalFunctions);
      const evaluate = context ? (code: string) => vm.runInContext(`(0, eval)(${JSON.stringify(code)})`, context) : undefined;
      const result: unknown = runBlockCode(block.code, `block${index}`, evaluate);
      if (!block.isAsync) return { value: result };
      const settled = (await result) as { value: unknown } | undefined;
      return { value: settled?.value };
    },
    close() {
      bindings.restore();
      delete global[RUNTIME];
    },
  };
}
