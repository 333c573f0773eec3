import { randomUUID } from 'node:crypto';
import { runbookError } from '../../errors.js';
import type { WindowAck } from './window-protocol.js';

/** One spawn() call until it is answered: survives a broker failover. */
export interface PendingSpawn {
  readonly requestId: string;
  readonly window: unknown;
  readonly targetClientId?: string;
  readonly timeoutMs: number;
  readonly deadline: number;
  /** True while it waits for an election to finish. */
  waiting: boolean;
}

interface Entry extends PendingSpawn {
  resolve(ack: WindowAck): void;
  reject(error: Error): void;
  timer: NodeJS.Timeout;
}

// The broker's own timeout reports first (it knows which app was slow); ours is the backstop.
const BACKSTOP_GRACE_MS = 250;

/** The spawn() calls of one process that have no answer yet. */
export class WindowRequests {
  readonly #entries = new Map<string, Entry>();

  get size(): number {
    return this.#entries.size;
  }

  /** Registers a request; the promise settles through finish()/fail() or the backstop timer. */
  add(window: unknown, timeoutMs: number, targetClientId: string | undefined): { entry: PendingSpawn; done: Promise<WindowAck> } {
    const requestId = randomUUID();
    let entry!: Entry;
    const done = new Promise<WindowAck>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.fail(
          entry,
          runbookError(
            'RUNBOOK_WINDOW_TIMEOUT',
            `windowManager.spawn() got no answer within ${timeoutMs} ms (request ${requestId}). Check that an app is connected and answering, or pass a longer timeout.`,
          ),
        );
      }, timeoutMs + BACKSTOP_GRACE_MS);
      entry = { requestId, window, targetClientId, timeoutMs, deadline: Date.now() + timeoutMs, waiting: true, resolve, reject, timer };
    });
    this.#entries.set(requestId, entry);
    return { entry, done };
  }

  /** Requests waiting for a broker (after an election or a lost connection). */
  waiting(): PendingSpawn[] {
    return [...this.#entries.values()].filter((entry) => entry.waiting);
  }

  isPending(entry: PendingSpawn): boolean {
    return this.#entries.get(entry.requestId) === entry;
  }

  finish(entry: PendingSpawn, ack: WindowAck): void {
    const own = this.#take(entry);
    own?.resolve(ack);
  }

  fail(entry: PendingSpawn, error: Error): void {
    const own = this.#take(entry);
    own?.reject(error);
  }

  failAll(makeError: (entry: PendingSpawn) => Error): void {
    for (const entry of [...this.#entries.values()]) this.fail(entry, makeError(entry));
  }

  #take(entry: PendingSpawn): Entry | undefined {
    const own = this.#entries.get(entry.requestId);
    if (own !== entry) return undefined;
    this.#entries.delete(entry.requestId);
    clearTimeout(own.timer);
    return own;
  }
}
