import { inspect } from 'node:util';
import type { ErrorReport } from '../../engine/error-report.js';
import { hasCode } from '../../errors.js';
import { reportFor, type DocRun } from './doc-run.js';

/** Console input as new blocks of the open doc, through the doc's evaluator: same hoisting, same realm, same names. */
export class InputEvaluator {
  readonly #run: DocRun;
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
    return (await this.#run.evaluator.runInput(source, index)).value;
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
    const asInput = this.#run.evaluator.reportInput(error, last.index, last.source);
    return asInput.location ? asInput : reportFor(this.#run, error);
  }
}
