import type { BlockDecision } from '../runner/executor-protocol.js';
import type { BlockResult } from '../runner/results.js';

interface Waiting<T> {
  promise: Promise<T>;
  resolve(value: T): void;
}

function waiting<T>(): Waiting<T> {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((done) => (resolve = done));
  return { promise, resolve };
}

/**
 * Paces a doc's run by its vitest tests: a block runs once its test (or a
 * later block's test, when vitest filtered the earlier ones out) has started,
 * and each test waits for its own block's result. Knows nothing of vitest.
 */
export class BlockPacer {
  #started = -1;
  #closed = false;
  #ended = false;
  readonly #gates = new Map<number, Waiting<BlockDecision>>();
  readonly #results = new Map<number, Waiting<BlockResult | undefined>>();

  /** The supervisor asks before block `index` runs: 'run' once its test started, 'quit' when the tests are over. */
  gate(index: number): Promise<BlockDecision> {
    if (this.#closed) return Promise.resolve('quit');
    if (index <= this.#started) return Promise.resolve('run');
    const gate = waiting<BlockDecision>();
    this.#gates.set(index, gate);
    return gate.promise;
  }

  /** The test of block `index` started: it and every block before it may run. */
  start(index: number): void {
    this.#started = Math.max(this.#started, index);
    for (const [waiting, gate] of this.#gates) {
      if (waiting > index) continue;
      this.#gates.delete(waiting);
      gate.resolve('run');
    }
  }

  /** The file's tests are over: blocks not yet asked for do not run. */
  close(): void {
    this.#closed = true;
    for (const gate of this.#gates.values()) gate.resolve('quit');
    this.#gates.clear();
  }

  /** A block ended (or was skipped): its test may settle. */
  settle(result: BlockResult): void {
    this.#result(result.index).resolve(result);
  }

  /** The doc's run is over: tests still waiting get no result. */
  end(): void {
    this.#ended = true;
    for (const result of this.#results.values()) result.resolve(undefined);
  }

  /** Block `index`'s result, or undefined when the doc ended without one. */
  result(index: number): Promise<BlockResult | undefined> {
    const result = this.#result(index);
    if (this.#ended) result.resolve(undefined);
    return result.promise;
  }

  #result(index: number): Waiting<BlockResult | undefined> {
    let result = this.#results.get(index);
    if (!result) this.#results.set(index, (result = waiting()));
    return result;
  }
}
