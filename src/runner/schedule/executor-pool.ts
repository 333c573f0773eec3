import type { EarlyExecutor } from '../progress-register.js';
import { Executor } from './executor.js';
import type { ExecutorSource } from './supervise-doc.js';

let spare: Executor | undefined;

const earlyExecutor = Symbol.for('runbook.earlyExecutor');

// The executor bin/runbook.js started before runbook loaded, if any (taken once).
function adoptEarly(): Executor | undefined {
  const holder = globalThis as Record<symbol, EarlyExecutor | undefined>;
  const early = holder[earlyExecutor];
  holder[earlyExecutor] = undefined;
  return early ? new Executor(early) : undefined;
}

/**
 * Starts an executor ahead of need: the CLI calls this first thing, so the
 * executor's Node start overlaps the supervisor's own work. The next pool
 * takes it.
 */
export function prestartExecutor(options: { warm?: boolean } = {}): void {
  spare ??= adoptEarly() ?? new Executor();
  if (options.warm) spare.send({ type: 'warm' });
}

function takeSpare(): Executor | undefined {
  const taken = spare;
  spare = undefined;
  return taken?.alive ? taken : undefined;
}

/** Kills a spare executor nobody took (the command ended before running a doc). */
export function discardSpare(): void {
  takeSpare()?.kill();
}

/**
 * Up to `size` executors, each running one doc at a time. A clean executor
 * takes the next doc; one the doc left changed (or that died) is stopped and,
 * when a doc is waiting, replaced.
 */
export class ExecutorPool implements ExecutorSource {
  readonly #size: number;
  readonly #all = new Set<Executor>();
  readonly #idle: Executor[] = [];
  readonly #busy = new Set<Executor>();
  readonly #waiting: ((executor: Executor) => void)[] = [];
  #closing = false;

  constructor(size: number) {
    this.#size = Math.max(1, size);
  }

  get closing(): boolean {
    return this.#closing;
  }

  async acquire(): Promise<Executor> {
    let executor = this.#idle.pop();
    while (executor && !executor.alive) {
      this.#all.delete(executor);
      executor = this.#idle.pop();
    }
    if (!executor && this.#all.size < this.#size) executor = this.#start();
    executor ??= await new Promise<Executor>((give) => this.#waiting.push(give));
    this.#busy.add(executor);
    return executor;
  }

  release(executor: Executor, reusable: boolean): void {
    this.#busy.delete(executor);
    if (!reusable || !executor.alive || this.#closing) {
      this.#all.delete(executor);
      if (executor.alive) executor.kill();
      if (this.#waiting.length && !this.#closing) this.#give(this.#start());
      return;
    }
    this.#give(executor);
  }

  detach(executor: Executor): void {
    this.#busy.delete(executor);
    this.#all.delete(executor);
    if (this.#waiting.length && !this.#closing) this.#give(this.#start());
  }

  /** Stops every executor: a busy one gets `signal` (it cleans up its doc) and is killed 3 s later; idle ones at once. */
  async close(signal: NodeJS.Signals | 'now' = 'now'): Promise<void> {
    this.#closing = true;
    await Promise.all(
      [...this.#all].map(async (executor) => {
        if (!executor.alive) return;
        // An idle executor is one whose last doc ended clean (see release): its processes are already gone.
        if (!this.#busy.has(executor)) return void executor.kill({ sweep: false });
        if (signal === 'now') return void executor.kill();
        executor.child.kill(signal);
        let force: NodeJS.Timeout | undefined;
        await Promise.race([executor.exited, new Promise((resolve) => (force = setTimeout(resolve, 3000)))]);
        clearTimeout(force);
        if (executor.alive) executor.kill();
      }),
    );
    this.#all.clear();
    this.#idle.length = 0;
  }

  #give(executor: Executor): void {
    const next = this.#waiting.shift();
    if (next) {
      this.#busy.add(executor);
      next(executor);
    } else this.#idle.push(executor);
  }

  #start(): Executor {
    const executor = takeSpare() ?? new Executor();
    this.#all.add(executor);
    return executor;
  }
}
