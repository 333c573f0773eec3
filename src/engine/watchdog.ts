import { Worker } from 'node:worker_threads';

// Runs on its own thread, so it still runs when the doc's code never yields.
// Through the inspector it can stop whatever JavaScript the main thread is
// running (V8's TerminateExecution); the main thread survives and goes on with
// its event loop, so the runner can report the timeout and clean up.
const watchdogSource = `
const { parentPort, workerData } = require('node:worker_threads');
const inspector = require('node:inspector');
const armed = new Int32Array(workerData);
const session = new inspector.Session();
session.connectToMainThread();
let timer;
parentPort.on('message', ({ id, ms }) => {
  clearTimeout(timer);
  timer = setTimeout(() => {
    if (Atomics.load(armed, 0) !== id) return;
    session.post('Runtime.terminateExecution', () => parentPort.postMessage(id));
  }, ms);
});
`;

/** How long after a block's deadline the main thread counts as stuck rather than just late. */
const stuckGraceMs = 250;

/**
 * Stops a block that never yields (`while (true) {}` after an `await`), which
 * no timer on the main thread can do. Each `arm` returns a disarm function;
 * `onStuck` runs on the main thread after the block's code was stopped.
 */
export class Watchdog {
  readonly #armed = new Int32Array(new SharedArrayBuffer(4));
  readonly #worker: Worker;
  #nextId = 1;
  #onStuck = new Map<number, () => void>();

  constructor() {
    this.#worker = new Worker(watchdogSource, { eval: true, workerData: this.#armed.buffer, stdout: false, stderr: false });
    this.#worker.unref();
    this.#worker.on('message', (id: number) => {
      const callback = this.#onStuck.get(id);
      this.#onStuck.delete(id);
      callback?.();
    });
  }

  arm(ms: number, onStuck: () => void): () => void {
    const id = this.#nextId++;
    this.#onStuck.set(id, onStuck);
    Atomics.store(this.#armed, 0, id);
    this.#worker.postMessage({ id, ms: ms + stuckGraceMs });
    return () => {
      // Disarming is a shared-memory write: it takes effect at once, even if the
      // watchdog thread is about to fire.
      Atomics.compareExchange(this.#armed, 0, id, 0);
      this.#onStuck.delete(id);
    };
  }

  async close(): Promise<void> {
    Atomics.store(this.#armed, 0, 0);
    await this.#worker.terminate();
  }
}

let shared: Watchdog | undefined;

/** One watchdog thread per process, started on first use. */
export function watchdog(): Watchdog {
  shared ??= new Watchdog();
  return shared;
}

/**
 * Stops the watchdog thread, if one was started. Must run before the process
 * ends: an open inspector session keeps Node waiting for "the debugger".
 */
export async function closeWatchdog(): Promise<void> {
  const current = shared;
  shared = undefined;
  await current?.close();
}
