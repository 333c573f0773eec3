import { compiledBlock, type BlockPlacement, type CompiledBlock, type CompiledParts } from './compiled-block.js';
import { blockFilename, reportError, type ErrorReport } from './error-report.js';
import { runBlockCode } from './run-block.js';
import type { DocRuntime } from './runtime.js';

/** How long an async block may wait, and the error it fails with when that runs out. */
export interface EvaluationLimit {
  ms: number;
  expired(): Error;
}

/** What an evaluator needs of its doc: where it is, its text, and its runtime (see runtime.ts). */
export interface EvaluatedDoc {
  /** The doc's path as the user named it, for error locations. */
  displayPath: string;
  /** Absolute path: prefixes the block scripts' names in stack traces. */
  absolute: string;
  text: string;
  runtime: DocRuntime;
}

// Taken as the engine loads, before any doc runs: a doc that replaces the globals cannot disarm a limit.
const timers = { setTimeout, clearTimeout };

/**
 * The one place a doc's code is evaluated: blocks of a run, and console input,
 * in this realm's global scope with the doc's runtime. It keeps what each
 * evaluated block compiled to, so that an error maps back to the Markdown line.
 */
export class DocEvaluator {
  #doc: EvaluatedDoc;
  readonly #compiled = new Map<number, CompiledBlock>();

  constructor(doc: EvaluatedDoc) {
    this.#doc = doc;
  }

  /**
   * Runs one compiled block and resolves to its value, boxed: a promise a block
   * ends with is its value and is not awaited (Node's REPL does the same). An
   * async block that waits past `limit` rejects with the limit's error, and
   * `interrupt` (a fault from what the doc started) ends the wait at once. A
   * block that never yields is not stopped here: that is the supervisor's to do.
   */
  async run(block: BlockPlacement, parts: CompiledParts, limit: EvaluationLimit, interrupt?: Promise<never>): Promise<{ value: unknown }> {
    return this.#evaluate(block.index, compiledBlock(block, parts), limit, interrupt);
  }

  /** Compiles console input as block `index` of the doc (same hoisting, same names) and runs it; no limit. */
  async runInput(source: string, index: number): Promise<{ value: unknown }> {
    // Loaded on the first input: the compiler (acorn, esbuild) is not part of an executor's start.
    const { compileBlock } = await import('./compile.js');
    const compiled = compileBlock({ index, lang: 'ts', source, line: 1, indent: 0 }, this.#doc.absolute);
    return this.#evaluate(index, compiled, { ms: Infinity, expired: () => new Error('unreachable') });
  }

  /** The doc's text after an edit on disk (a notebook reloads it, context kept): error frames show the new lines. */
  setText(text: string): void {
    this.#doc = { ...this.#doc, text };
  }

  /** An error of the doc located in the Markdown file, its frame bounded by the block that ran when given. */
  report(error: unknown, block?: { line: number; lastLine: number }): ErrorReport {
    const doc = this.#doc;
    return reportError(error, { displayPath: doc.displayPath, text: doc.text, scriptPrefix: doc.absolute, compiled: this.#compiled, block, lastThrow: doc.runtime.lastThrow });
  }

  /** An error of console input `index` located in that input (`repl:1:7`), or no location when it is not there. */
  reportInput(error: unknown, index: number, source: string): ErrorReport {
    const compiled = new Map<number, CompiledBlock>();
    const input = this.#compiled.get(index);
    if (input) compiled.set(index, input);
    return reportError(error, { displayPath: 'repl', text: source, scriptPrefix: this.#doc.absolute, compiled });
  }

  async #evaluate(index: number, compiled: CompiledBlock, limit: EvaluationLimit, interrupt?: Promise<never>): Promise<{ value: unknown }> {
    const { runtime, absolute } = this.#doc;
    runtime.lastThrow = undefined;
    this.#compiled.set(index, compiled);
    if (compiled.globalFunctions) runtime.bindings.declareFunctions(compiled.globalFunctions);
    const value = runBlockCode(compiled.code, blockFilename(absolute, index));
    if (!compiled.isAsync) return { value };
    let timer: NodeJS.Timeout | undefined;
    const waits = [value as Promise<unknown>];
    if (Number.isFinite(limit.ms)) waits.push(new Promise<never>((_, reject) => (timer = timers.setTimeout(() => reject(limit.expired()), limit.ms))));
    if (interrupt) waits.push(interrupt);
    try {
      // An async block's script resolves to `{ value }`, or to undefined when it ends in a statement (see hoist.ts).
      const settled = (await Promise.race(waits)) as { value: unknown } | undefined;
      return { value: settled?.value };
    } finally {
      timers.clearTimeout(timer);
    }
  }
}
