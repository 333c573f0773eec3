import { isAbsolute, relative } from 'node:path';
import { parseOptions } from '../container/options.js';
import type { RunEvents } from '../runner/events.js';
import type { DocResult } from '../runner/results.js';
import { runOptionsSchema, type RunOptions, type RunOptionsInput } from '../runner/run-options.js';
import { ExecutorPool } from '../runner/schedule/executor-pool.js';
import { superviseDoc } from '../runner/schedule/supervise-doc.js';
import { typeGate } from '../runner/typecheck/type-gate.js';
import { docFailure, failureError, skipNote } from './block-failure.js';
import { BlockPacer } from './block-pacer.js';

/** The part of vitest's test context a block's test uses. */
export interface BlockTestContext {
  skip(note?: string): never;
}

// One doc run by its vitest test file (the module the plugin generates calls
// this in vitest's worker): the doc runs in an executor process, exactly as
// `runbook run` runs it, one block per test as the tests start.
export class DocSuite {
  readonly #path: string;
  readonly #options: RunOptions;
  readonly #pacer = new BlockPacer();
  #pool: ExecutorPool | undefined;
  #run: Promise<DocResult> | undefined;
  #docFailed = false;

  constructor(path: string, options: RunOptionsInput) {
    // Named as `runbook run` from the project's folder would name it (the executor shares this worker's folder).
    const shown = relative(process.cwd(), path);
    this.#path = shown && !shown.startsWith('..') && !isAbsolute(shown) ? shown : path;
    this.#options = parseOptions(runOptionsSchema.strict(), options, 'runbook/vitest');
  }

  /** Starts the doc (beforeAll): its executor opens it, and waits for the first block's test. */
  start(): void {
    if (this.#run) return;
    const pacer = this.#pacer;
    const events: RunEvents = { onBlockEnd: ({ result }) => pacer.settle(result) };
    // As with --typecheck: a doc with type errors fails with them, block by block, and nothing of it runs.
    const failedByTypes = this.#options.typecheck ? typeGate([this.#path])(this.#path, events) : undefined;
    if (failedByTypes) {
      this.#run = Promise.resolve(failedByTypes).finally(() => pacer.end());
      return;
    }
    const pool = (this.#pool = new ExecutorPool(1));
    this.#run = superviseDoc(this.#path, this.#options, events, pool, { beforeBlock: (block) => pacer.gate(block.index) }).finally(() => pacer.end());
  }

  /** The test of the block at fence index `index`: runs it, shows its output, and passes, fails or skips with it. */
  async block(index: number, context: BlockTestContext): Promise<void> {
    this.start();
    this.#pacer.start(index);
    const result = await this.#pacer.result(index);
    if (!result) {
      const failure = docFailure(await this.#run!);
      this.#docFailed ||= Boolean(failure);
      if (failure) throw failure;
      return context.skip('the doc ended before this block');
    }
    if (result.stdout) console.log(result.stdout.replace(/\n$/, ''));
    if (result.stderr) console.error(result.stderr.replace(/\n$/, ''));
    if (result.status === 'failed' || result.status === 'timed-out') throw failureError(result.error);
    if (result.status !== 'passed') context.skip(skipNote(result));
  }

  /** The file's tests are over (afterAll): blocks nobody asked for do not run; the executor is closed. */
  async finish(): Promise<void> {
    if (!this.#run) return;
    this.#pacer.close();
    try {
      const failure = docFailure(await this.#run);
      if (failure && !this.#docFailed) throw failure;
    } finally {
      await this.#pool?.close();
    }
  }
}

/** The runtime the generated test modules call: one DocSuite per doc. */
export function docSuite(path: string, options: RunOptionsInput): DocSuite {
  return new DocSuite(path, options);
}
