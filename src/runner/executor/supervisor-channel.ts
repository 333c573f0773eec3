import { randomBytes } from 'node:crypto';
import type { ExecutorMessage, FromExecutor } from '../executor-protocol.js';

/** How an executor's messages reach the supervisor. */
export interface SupervisorChannel {
  send(message: FromExecutor): void;
  /** Sends what is held now (before waiting for the supervisor's answer). */
  flush(): void;
  /** The secret every message carries (the supervisor's marker, once it said it). */
  secret(): string;
  setSecret(secret: string): void;
}

/**
 * Every message carries the secret the supervisor sent first: one a doc sends
 * with process.send lacks it and does not count. A block's end (and a doc's
 * opening) is held until the next message (the next block's start, as a rule)
 * and both go in one write, so a doc of many small blocks costs one message per
 * block, not two: each write wakes the supervisor.
 * Nothing is held past the current turn of the event loop, so a doc's timer
 * that never returns cannot keep a finished block's result from the supervisor.
 */
// Taken at load: a doc may replace the global, or Array.prototype.push, while it runs.
const nextTurn = setImmediate;

export function createSupervisorChannel(rawSend: (message: ExecutorMessage) => unknown): SupervisorChannel {
  let secret = randomBytes(8).toString('hex');
  let held: FromExecutor[] = [];
  let flushAtTurnEnd = false;
  const flush = (): void => {
    if (held.length === 0) return;
    const messages = held;
    held = [];
    rawSend(messages.length === 1 ? { ...messages[0]!, token: secret } : { type: 'batch', messages, token: secret });
  };
  return {
    send(message) {
      held[held.length] = message;
      if (message.type !== 'block-end' && message.type !== 'opened') return flush();
      // One check per turn, not per block: a doc's synchronous blocks all run within one turn.
      if (!flushAtTurnEnd) {
        flushAtTurnEnd = true;
        nextTurn(() => {
          flushAtTurnEnd = false;
          flush();
        });
      }
    },
    flush,
    secret: () => secret,
    setSecret: (value) => (secret = value),
  };
}
