import { inspect } from 'node:util';
import { compileBlock } from '../../engine/compile.js';
import { runBlockCode } from '../../engine/run-block.js';
import type { CompiledBlock } from '../../engine/compiled-block.js';
import { blockFilename, reportError, type ErrorReport } from '../../engine/error-report.js';
import { hasCode } from '../../errors.js';
import { reportFor, type DocRun } from './execute-doc.js';

/** Compiles and evaluates console input as a new block of the doc: same hoisting, same realm, same names. */
export class InputEvaluator {
  readonly #run: DocRun;
  readonly #compiled = new Map<number, CompiledBlock>();
  #next = 0;
  #last: { index: number; source: string } | undefined;

  constructor(run: DocRun) {
    this.#run = run;
  }

  /** Evaluates one input and returns its value (awaited when it used top-level await). */
  async evaluate(source: string): Promise<unknown> {
    // Indexes far above any doc's blocks, so stack frames never mix the two up.
    const index = 1_000_000 + this.#next++;
    this.#last = { index, source };
    const compiled = compileBlock({ index, lang: 'ts', source, line: 1, indent: 0 }, this.#run.absolute);
    this.#compiled.set(index, compiled);
    if (compiled.globalFunctions) this.#run.runtime.bindings.declareFunctions(compiled.globalFunctions);
    const value = runBlockCode(compiled.code, blockFilename(this.#run.absolute, index));
    // An async input's script resolves to `{ value }`, or to undefined when it ends in a statement (see hoist.ts).
    return compiled.isAsync ? ((await value) as { value: unknown } | undefined)?.value : value;
  }

  show(value: unknown, colors: boolean): string | undefined {
    return value === undefined ? undefined : inspect(value, { colors, depth: 4 });
  }

  // An input the parser stopped reading in the middle of: the console asks for the next line.
  isIncomplete(error: unknown): boolean {
    if (!hasCode(error, 'RUNBOOK_SYNTAX')) return false;
    return /end of (file|input)|Unterminated|Expected ".*" but found end/i.test((error as Error).message);
  }

  /** Locates an error of the last input at that input (`repl:1:7`) or, failing that, in the doc. */
  report(error: unknown): ErrorReport {
    const last = this.#last;
    if (!last) return reportFor(this.#run, error);
    const compiled = new Map<number, CompiledBlock>();
    const mine = this.#compiled.get(last.index);
    if (mine) compiled.set(last.index, mine);
    const asInput = reportError(error, { displayPath: 'repl', text: last.source, scriptPrefix: this.#run.absolute, compiled });
    return asInput.location ? asInput : reportFor(this.#run, error);
  }
}
