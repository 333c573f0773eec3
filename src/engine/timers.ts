type Noun = 'timer' | 'interval' | 'immediate';

/**
 * The doc's timer functions: real timers, remembered until they fire or are
 * cleared, so the runner can clear what a doc left behind and say so.
 */
export class TrackedTimers {
  #active = new Map<unknown, Noun>();

  readonly globals = {
    setTimeout: (callback: (...args: unknown[]) => void, ms?: number, ...args: unknown[]) => {
      const handle = setTimeout(() => {
        this.#active.delete(handle);
        callback(...args);
      }, ms);
      this.#active.set(handle, 'timer');
      return handle;
    },
    setInterval: (callback: (...args: unknown[]) => void, ms?: number, ...args: unknown[]) => {
      const handle = setInterval(callback, ms, ...args);
      this.#active.set(handle, 'interval');
      return handle;
    },
    setImmediate: (callback: (...args: unknown[]) => void, ...args: unknown[]) => {
      const handle = setImmediate(() => {
        this.#active.delete(handle);
        callback(...args);
      });
      this.#active.set(handle, 'immediate');
      return handle;
    },
    clearTimeout: (handle?: NodeJS.Timeout | string | number) => {
      this.#active.delete(handle);
      clearTimeout(handle);
    },
    clearInterval: (handle?: NodeJS.Timeout | string | number) => {
      this.#active.delete(handle);
      clearInterval(handle);
    },
    clearImmediate: (handle?: NodeJS.Immediate) => {
      this.#active.delete(handle);
      clearImmediate(handle);
    },
  };

  /** Clears every timer still pending; returns one noun per cleared timer. */
  clearAll(): Noun[] {
    const cleared: Noun[] = [];
    for (const [handle, noun] of this.#active) {
      // Timers a doc unref()'d were meant to die quietly with the process.
      const refed = (handle as { hasRef?: () => boolean }).hasRef?.() ?? true;
      if (refed) cleared.push(noun);
      if (noun === 'immediate') clearImmediate(handle as NodeJS.Immediate);
      else clearTimeout(handle as NodeJS.Timeout);
    }
    this.#active.clear();
    return cleared;
  }
}
