/** An error nobody caught (an unhandled rejection, an error thrown in a timer), and what Node called it. */
export interface Fault {
  error: unknown;
  origin: string;
}

/**
 * Where the faults of a doc's process go. While a block runs, a fault ends
 * the block's wait (see `during`); between blocks the first one is kept for the
 * next block, an `always` block or the doc's end to report, once. In a doc kept
 * open for the console, faults between inputs go to the console's listener.
 */
export class DocFaults {
  /** The first fault not yet charged to a block, or charged already when `reported`. */
  fault?: Fault;
  reported = false;
  /** Set while a console session holds the doc open. */
  listener?: (error: unknown, origin: string) => void;
  #interrupt?: (error: unknown) => void;

  /** True when a fault came and no block or doc report carries it yet. */
  get pending(): boolean {
    return this.fault !== undefined && !this.reported;
  }

  /** Takes a fault from the process's traps (see fault-trap.ts). */
  readonly receive = (error: unknown, origin = 'fault'): void => {
    if (this.listener && !this.#interrupt) return this.listener(error, origin);
    this.fault ??= { error, origin };
    this.#interrupt?.(error);
  };

  /**
   * Runs `body` with a promise that rejects when a fault arrives meanwhile,
   * for the body to race its waits against.
   */
  async during<T>(body: (interrupt: Promise<never>) => Promise<T>): Promise<T> {
    const interrupt = new Promise<never>((_, reject) => (this.#interrupt = reject));
    interrupt.catch(() => {}); // observed through the body's race; never "unhandled"
    try {
      return await body(interrupt);
    } finally {
      this.#interrupt = undefined;
    }
  }

  /** A block failed with `error`: when that is the pending fault itself, it is reported now. */
  claim(error: unknown): void {
    if (this.fault && Object.is(this.fault.error, error)) this.reported = true;
  }
}
