import type { RunEvents } from './events.js';

export interface HeldEvents {
  /** Passes a doc's events on, or holds them until `release`. */
  readonly events: RunEvents;
  /** Passes on what was held, in order, and from then on every event as it comes. */
  release(): void;
}

/**
 * A doc's events, held back while the doc before it in the same lane is still
 * being stamped: the lane runs the next doc meanwhile, and reporters still hear
 * of one doc after the other, each from its start to its end.
 */
export function heldEvents(target: RunEvents): HeldEvents {
  let held: (() => void)[] | undefined = [];
  const forward = (call: () => void): void => {
    if (held) held.push(call);
    else call();
  };
  return {
    events: {
      onDocStart: (doc) => forward(() => target.onDocStart?.(doc)),
      onBlockStart: (event) => forward(() => target.onBlockStart?.(event)),
      onBlockOutput: (event) => forward(() => target.onBlockOutput?.(event)),
      onBlockEnd: (event) => forward(() => target.onBlockEnd?.(event)),
      onDocEnd: (result) => forward(() => target.onDocEnd?.(result)),
    },
    release() {
      const calls = held ?? [];
      held = undefined;
      for (const call of calls) call();
    },
  };
}
