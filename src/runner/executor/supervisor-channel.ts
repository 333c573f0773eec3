import { randomBytes } from 'node:crypto';
import type { ExecutorMessage, FromExecutor } from '../executor-protocol.js';
import type { RegisterWriter } from '../progress-register.js';

/** How an executor's messages reach the supervisor. */
export interface SupervisorChannel {
  send(message: FromExecutor): void;
  /** Sends what is held now (before waiting for the supervisor's answer, or before a block's first output). */
  flush(): void;
  /**
   * Keeps what is held past this turn, until the next message that goes out at once (a
   * doc's 'done') or a flush: for when nothing of the doc's can run before then. More than
   * heldPastTurnAtMost go out now instead.
   */
  holdPastTurn(): void;
  /**
   * Resolves once what was sent so far has left this process. A message larger than the
   * socket takes at once is written by the event loop, so a doc whose blocks never give
   * control back would keep it (and everything after it) from the supervisor until it ends.
   */
  written(): Promise<void>;
  /** The secret every message carries (the supervisor's marker, once it said it). */
  secret(): string;
  setSecret(secret: string): void;
  /** From now on each block's start is written to this register (progress-register.ts). */
  useRegister(register: RegisterWriter): void;
  /** A doc run starts, under this epoch of the register (none: the supervisor reads no register). */
  beginRun(epoch: number | undefined): void;
}

/** A block's end that says no more than that it passed: what the supervisor can tell from the register alone. */
function isSilentPass(message: FromExecutor): boolean {
  return message.type === 'block-end' && message.result.status === 'passed' && message.result.value === undefined && message.marked.length === 0 && !message.expectsVerdict;
}

type Held = Extract<FromExecutor, { type: 'block-start' | 'block-end' }>;

// Syntax, not a Set: a doc may replace Set.prototype.has (or Array.prototype.push) while it runs.
const isHeld = (message: FromExecutor): message is Held => message.type === 'block-start' || message.type === 'block-end';

/**
 * Held starts and ends go out at the latest this many at a time: the supervisor works
 * through a long run of blocks while they run (on the other core), not all of it after the doc.
 */
export const heldAtMost = 128;

/**
 * At most this many held messages wait past the turn for a doc's 'done' (holdPastTurn), saving a
 * write and a wakeup; more go out at once, and the supervisor works through them while the doc closes.
 */
export const heldPastTurnAtMost = 16;

// Taken at load: a doc may replace the globals.
const nextTurn = setImmediate;
const clearTurn = clearImmediate;

/**
 * Every message carries the secret the supervisor sent first: one a doc sends
 * with process.send lacks it and does not count.
 *
 * Blocks' starts and ends are held and sent together: each IPC write wakes the
 * supervisor, so a doc of many small blocks that run in one turn of the event
 * loop costs a message per `heldAtMost`, not one per block. What is held never costs what the
 * supervisor must know: each block's start is written to the register first
 * (which block never gave control back, or was running when the process
 * died), and a block's end that says more than "passed" (a value, output, a
 * failure, a skip) is sent at once, so all a crash can take is the durations
 * of blocks that passed in silence.
 * Nothing is held past the current turn, so a doc's timer that never returns
 * cannot keep a finished block's result from the supervisor; only a doc that
 * left nothing to run may have its last blocks' ends go out with its 'done'
 * (holdPastTurn).
 */
export function createSupervisorChannel(rawSend: (message: ExecutorMessage, written: () => void) => unknown): SupervisorChannel {
  let secret = randomBytes(8).toString('hex');
  let register: RegisterWriter | undefined;
  let held: FromExecutor[] = [];
  // The flush at the end of this turn, when something is held. Cancelled by an earlier flush: the
  // executor's own pending immediate would count as the doc's (see leftPending in clean-state.ts).
  let turnEnd: NodeJS.Immediate | undefined;
  // This doc run's messages not yet written out, and who waits for none to be left (see written()).
  // Counted per run: Node calls back through process.nextTick, so a doc that replaced it for a while
  // loses those calls, and they must not keep the next doc waiting.
  let run = 0;
  let unwritten = 0;
  let writtenWaiters: (() => void)[] = [];
  const write = (message: ExecutorMessage): void => {
    const ofRun = run;
    unwritten++;
    rawSend(message, () => {
      if (ofRun !== run || --unwritten > 0) return;
      const waiters = writtenWaiters;
      writtenWaiters = [];
      for (let i = 0; i < waiters.length; i++) waiters[i]!();
    });
  };
  const cancelTurnEnd = (): void => {
    if (!turnEnd) return;
    clearTurn(turnEnd);
    turnEnd = undefined;
  };
  const flush = (): void => {
    cancelTurnEnd();
    if (held.length === 0) return;
    const messages = held;
    held = [];
    write(messages.length === 1 ? { ...messages[0]!, token: secret } : { type: 'batch', messages, token: secret });
  };
  // False when there is no register (any more): the supervisor must hear of the block's start as it happens.
  // Only starts are written: a block's end that is held is a silent pass, and one the supervisor has makes the record stale.
  const registerStart = (message: Extract<Held, { type: 'block-start' }>): boolean => {
    try {
      register?.started(message.index, message.timeoutMs, message.at);
      return register !== undefined;
    } catch {
      register = undefined; // the doc closed the register's descriptor
      return false;
    }
  };
  return {
    send(message) {
      // Goes out at once, in the same write as what is held before it (a doc's last blocks and its 'done').
      if (!isHeld(message)) {
        held[held.length] = message;
        return flush();
      }
      held[held.length] = message;
      // Without a register a block's start goes at once (it carries the end before it), as it must.
      if (message.type === 'block-start' ? !registerStart(message) : register !== undefined && !isSilentPass(message)) return flush();
      if (held.length >= heldAtMost) return flush();
      // One check per turn, not per block: a doc's synchronous blocks all run within one turn.
      turnEnd ??= nextTurn(() => {
        turnEnd = undefined;
        flush();
      });
    },
    flush,
    holdPastTurn: () => (held.length > heldPastTurnAtMost ? flush() : cancelTurnEnd()),
    written: () => (unwritten === 0 ? Promise.resolve() : new Promise((resolve) => (writtenWaiters[writtenWaiters.length] = resolve))),
    secret: () => secret,
    setSecret: (value) => (secret = value),
    useRegister: (writer) => void (register = writer),
    beginRun(epoch) {
      flush();
      run++;
      unwritten = 0;
      if (epoch === undefined) register = undefined;
      else register?.begin(epoch);
    },
  };
}
