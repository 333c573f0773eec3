/**
 * Many timeouts for the price of one timer per distinct duration.
 *
 * Deadlines added with the same duration expire in the order they were
 * added, so each duration keeps a FIFO lane and arms a single timer for its
 * oldest live entry. With thousands of asks in flight, each answered within a
 * millisecond, this replaces a Node timer created and cancelled per ask,
 * which measured as the largest protocol cost on the ask path.
 */

// Compact a lane's array once this many finished entries sit before its head.
const COMPACT_AFTER = 1024;

/** A scheduled callback; `cancel()` stops it and is safe to call more than once. */
export class Deadline {
  constructor(
    readonly at: number,
    public onExpire: (() => void) | undefined,
    private readonly lane: Lane,
  ) {}

  cancel(): void {
    if (this.onExpire === undefined) return;
    this.onExpire = undefined;
    this.lane.skipFinished();
  }
}

class Lane {
  entries: Deadline[] = [];
  head = 0;
  timer: NodeJS.Timeout | undefined;
  firing = false;

  constructor(readonly ms: number) {}

  add(onExpire: () => void): Deadline {
    // Date.now, not performance.now: fake timers in tests drive it too.
    const deadline = new Deadline(Date.now() + this.ms, onExpire, this);
    this.entries.push(deadline);
    if (!this.timer && !this.firing) this.arm(this.ms);
    return deadline;
  }

  skipFinished(): void {
    while (this.head < this.entries.length && this.entries[this.head]!.onExpire === undefined) this.head++;
    if (this.firing) return;
    if (this.head === this.entries.length) this.close();
    else if (this.head > COMPACT_AFTER && this.head * 2 > this.entries.length) {
      this.entries = this.entries.slice(this.head);
      this.head = 0;
    }
  }

  arm(delay: number): void {
    // The clocks of Date.now() and of timers can disagree by a millisecond: never arm for 0.
    this.timer = setTimeout(() => this.fire(), Math.max(1, Math.ceil(delay)));
  }

  fire(): void {
    this.timer = undefined;
    this.firing = true;
    try {
      const now = Date.now();
      while (this.head < this.entries.length) {
        const deadline = this.entries[this.head]!;
        if (deadline.onExpire !== undefined && deadline.at > now) break;
        this.head++;
        const onExpire = deadline.onExpire;
        deadline.onExpire = undefined;
        onExpire?.();
      }
    } finally {
      this.firing = false;
    }
    if (this.head === this.entries.length) this.close();
    else this.arm(this.entries[this.head]!.at - Date.now());
  }

  // An empty lane holds no timer (nothing keeps the process alive) but stays, ready for the next ask.
  close(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.entries.length = 0;
    this.head = 0;
  }
}

/** A set of deadlines; a duration with nothing pending holds no timer. */
export class Deadlines {
  #lanes = new Map<number, Lane>();

  /** Calls `onExpire` after `ms` milliseconds unless cancelled first. */
  add(ms: number, onExpire: () => void): Deadline {
    let lane = this.#lanes.get(ms);
    if (!lane) this.#lanes.set(ms, (lane = new Lane(ms)));
    return lane.add(onExpire);
  }

  /** Timers currently armed: one per duration that has live deadlines. */
  get activeTimers(): number {
    let count = 0;
    for (const lane of this.#lanes.values()) if (lane.timer) count++;
    return count;
  }
}
