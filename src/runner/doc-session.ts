import vm from 'node:vm';
import type { Container } from '../container/container.js';
import { compileBlock } from '../engine/compile.js';
import type { CompiledBlock } from '../engine/compiled-block.js';
import { blockFilename, reportError, type ErrorReport } from '../engine/error-report.js';
import type { StreamName } from '../engine/output-capture.js';
import type { Block, RunbookDocument } from '../markdown/document.js';
import type { BlockResult } from './results.js';

/** What the --step prompt answered for a block. */
export type BlockDecision = 'run' | 'skip' | 'quit';

/**
 * Interactive extension points of runDoc. Without them a doc runs, is cleaned
 * up and stamped exactly as in a plain run.
 */
export interface DocHooks {
  /**
   * Asked before each block that is about to run, after `onBlockStart` was
   * reported. 'skip' reports the block as skipped; 'quit' stops the doc: no
   * further block runs, the container is disposed and the doc is not stamped.
   */
  beforeBlock?(block: Block): BlockDecision | Promise<BlockDecision>;
  /**
   * When given, the doc's context and container outlive the run: runDoc still
   * reports and stamps the doc, then hands over the session instead of
   * disposing it. The receiver must call `session.dispose()`.
   */
  keepAlive?(session: DocSession): void;
}

/** A doc whose run has ended but whose context and container are still alive. */
export interface DocSession {
  readonly doc: RunbookDocument;
  readonly context: vm.Context;
  readonly container: Container;
  /** Filename prefix of the doc's block scripts (its absolute path): stack frames are mapped by it. */
  readonly scriptPrefix: string;
  /** The doc's blocks that can run (code and shell), in order. */
  readonly runnable: Block[];
  /** Runs one of the doc's blocks again (by its index among all fences) in the same context. */
  runBlock(index: number): Promise<BlockResult>;
  /** Where the doc's console writes from now on (instead of the reporters). */
  setOutput(listener: (stream: StreamName, text: string) => void): void;
  /** Called with errors the doc's timers or handlers throw while no block runs. */
  setFaultListener(listener: (error: unknown, origin: string) => void): void;
  /** A report for an error thrown by one of the doc's blocks, located in the Markdown file. */
  report(error: unknown): ErrorReport;
  /** Disposes the container, clears timers, stops stray processes; returns what had to be cleaned up. */
  dispose(): Promise<{ cleanedUp: string[]; warnings: string[] }>;
}

/** Compiles and evaluates code as a new block of the doc: same hoisting, same context. */
export class InputEvaluator {
  readonly #compiled = new Map<number, CompiledBlock>();
  #next = 0;
  #last: { index: number; source: string } | undefined;

  readonly #session: DocSession;

  constructor(session: DocSession) {
    this.#session = session;
  }

  /** Evaluates one REPL input and returns its value (awaited when it used top-level await). */
  async evaluate(source: string): Promise<unknown> {
    // Indexes far above any doc's blocks, so stack frames never mix the two up.
    const index = 1_000_000 + this.#next++;
    this.#last = { index, source };
    const compiled = compileBlock({ index, lang: 'ts', source, line: 1, indent: 0 }, this.#session.scriptPrefix);
    this.#compiled.set(index, compiled);
    const script = new vm.Script(compiled.code, { filename: blockFilename(this.#session.scriptPrefix, index) });
    const value = script.runInContext(this.#session.context, { displayErrors: false });
    // An async block's script resolves to `{ value }`, or to undefined when it ends in a statement (see hoist.ts).
    return compiled.isAsync ? ((await value) as { value: unknown } | undefined)?.value : value;
  }

  /** Locates an error of the last input at that input (`repl:1:7`) or, failing that, in the doc. */
  report(error: unknown): ErrorReport {
    const last = this.#last;
    if (!last) return this.#session.report(error);
    const compiled = new Map<number, CompiledBlock>();
    const mine = this.#compiled.get(last.index);
    if (mine) compiled.set(last.index, mine);
    const asInput = reportError(error, { displayPath: 'repl', text: last.source, scriptPrefix: this.#session.scriptPrefix, compiled });
    return asInput.location ? asInput : this.#session.report(error);
  }
}
