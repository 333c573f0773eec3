export type Listener = (...args: any[]) => void;

/**
 * A small event emitter. Unlike node:events it never throws on an unhandled
 * 'error' event: a doc forgetting a listener must not crash the runner.
 */
export class Emitter {
  #listeners = new Map<string, Set<Listener>>();

  on(event: string, listener: Listener): this {
    let set = this.#listeners.get(event);
    if (!set) this.#listeners.set(event, (set = new Set()));
    set.add(listener);
    return this;
  }

  once(event: string, listener: Listener): this {
    const wrapped: Listener = (...args) => {
      this.off(event, wrapped);
      listener(...args);
    };
    return this.on(event, wrapped);
  }

  off(event: string, listener?: Listener): this {
    if (listener) this.#listeners.get(event)?.delete(listener);
    else this.#listeners.delete(event);
    return this;
  }

  emit(event: string, ...args: unknown[]): boolean {
    const set = this.#listeners.get(event);
    if (!set || set.size === 0) return false;
    for (const listener of [...set]) listener(...args);
    return true;
  }

  /** Resolves with the event's arguments the next time it fires. */
  waitFor(event: string): Promise<unknown[]> {
    return new Promise((resolve) => this.once(event, (...args) => resolve(args)));
  }

  listenerCount(event: string): number {
    return this.#listeners.get(event)?.size ?? 0;
  }

  removeAllListeners(): this {
    this.#listeners.clear();
    return this;
  }
}
