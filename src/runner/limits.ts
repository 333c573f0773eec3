import { maxTimeoutMs, timeoutLimitText } from '../timeout-limit.js';
import { runbookError } from '../errors.js';
import type { Block, RunbookDocument } from '../markdown/document.js';
import type { RunOptions } from './run-options.js';

// Every time limit of a doc lives here: which one is in force for a block, the
// error a block that waits too long fails with (in the executor), and the hard
// deadlines past which the supervisor stops an executor that never yields.

/** How long past a block's (or the doc's) own limit the supervisor waits before it stops an executor. */
export const killGraceMs = 1000;

/** The limit in force for a block, and whether it is the doc's (--doc-timeout) rather than the block's own. */
export interface BlockLimit {
  ms: number;
  byDoc: boolean;
}

/** Throws RUNBOOK_INVALID_FRONTMATTER for a frontmatter `timeout` that is not a usable number of ms. */
export function checkFrontmatterTimeout(doc: RunbookDocument): void {
  const value = doc.frontmatter.timeout;
  if (value === undefined) return;
  if (typeof value !== 'number' || !Number.isInteger(value) || value <= 0) {
    throw runbookError('RUNBOOK_INVALID_FRONTMATTER', `${doc.path}: frontmatter timeout is ${JSON.stringify(value)}; use a whole number of milliseconds, e.g. timeout: 5000.`);
  }
  if (value > maxTimeoutMs) throw runbookError('RUNBOOK_INVALID_FRONTMATTER', `${doc.path}: frontmatter timeout ${value} is too long: ${timeoutLimitText}.`);
}

// The fence token wins over the frontmatter, which wins over --timeout; the doc's own deadline bounds them all.
export function blockTimeout(block: Block, doc: RunbookDocument, options: RunOptions, docDeadline?: number): BlockLimit {
  const fromDoc = doc.frontmatter.timeout;
  const ms = block.tokens.timeoutMs ?? (typeof fromDoc === 'number' ? fromDoc : options.timeout);
  if (docDeadline === undefined) return { ms, byDoc: false };
  const left = Math.max(docDeadline - Date.now(), 1);
  return left < ms ? { ms: left, byDoc: true } : { ms, byDoc: false };
}

const blockTimedOut = (ms: number) => `Timed out after ${ms} ms. Raise it with the fence token timeout=MS, frontmatter timeout, or --timeout.`;
const docTimedOut = (docTimeout: number | undefined) => `The doc ran out of time: --doc-timeout is ${docTimeout} ms.`;

/** The error of a block that waited past its limit (the executor's own check). */
export function timeoutError(limit: BlockLimit, docTimeout?: number): Error {
  return runbookError('RUNBOOK_BLOCK_TIMEOUT', limit.byDoc ? docTimedOut(docTimeout) : blockTimedOut(limit.ms));
}

const neverYielded = ' (The block never gave control back, so the process running it was stopped.)';

/**
 * Where an executor is, read from its progress register at a deadline (see
 * progress-register.ts): a block running since `at` with limit `blockMs`, or
 * undefined when it says nothing the messages did not.
 */
export type ExecutorProgress = { at: number; blockMs: number } | undefined;

/**
 * The supervisor's hard deadlines for one executor running one doc: while a
 * block runs, its limit; between blocks, the --timeout; over the whole doc,
 * --doc-timeout — each plus killGraceMs, so that the executor's own check
 * fails a waiting block first. Times are this process's performance.now().
 * An executor tells of its blocks in batches, so at a deadline `progress`
 * says where it really is; past that deadline too, `expire` is called with why.
 */
export class ExecutorDeadlines {
  readonly #options: Pick<RunOptions, 'timeout' | 'docTimeout'>;
  readonly #expire: (why: string, timedOut: boolean) => void;
  readonly #progress: () => ExecutorProgress;
  #doc: NodeJS.Timeout | undefined;
  // The deadline in force (performance.now() time) and what to say at it; none while paused.
  // Said by a function, made only when it expires: a deadline is set twice a block.
  #due: { at: number; why: () => string; timedOut: boolean } | undefined;
  // One timer, re-aimed only when a deadline comes earlier than it fires: a doc of
  // many short blocks moves `#due` per block, not a timer (when it fires early it re-aims).
  #timer: NodeJS.Timeout | undefined;
  #timerAt = Infinity;
  // A block may have started since the executor last told (it tells in batches): one with the doc's
  // shortest limit would be due that long after the latest sign of progress, so look by then.
  #shortestMs = Infinity;
  #progressAt = 0;

  constructor(options: Pick<RunOptions, 'timeout' | 'docTimeout'>, expire: (why: string, timedOut: boolean) => void, progress: () => ExecutorProgress = () => undefined) {
    this.#options = options;
    this.#expire = expire;
    this.#progress = progress;
    const { docTimeout } = options;
    if (docTimeout) this.#doc = setTimeout(() => expire(`${docTimedOut(docTimeout)}${neverYielded}`, true), docTimeout + killGraceMs);
  }

  /** The shortest limit any block of the doc has (from the doc's opening). */
  setShortestLimit(ms: number): void {
    this.#shortestMs = ms;
  }

  /** A block started (at `startedAt`) with this limit in force. */
  block(ms: number, startedAt = performance.now()): void {
    this.#arm(ms, () => `${blockTimedOut(ms)}${neverYielded}`, true, startedAt);
  }

  /** No block runs: the executor must go on within a block's limit. */
  betweenBlocks(): void {
    const { timeout } = this.#options;
    this.#arm(timeout, () => `The executor stopped responding for more than ${Math.round((timeout + killGraceMs) / 1000)} s between blocks (a loop in a timer or callback?) and was stopped.`, false, performance.now());
  }

  /** Waiting on the supervisor's side (a --step prompt): no deadline but the doc's. */
  pause(): void {
    this.#due = undefined;
  }

  clear(): void {
    this.#due = undefined;
    clearTimeout(this.#timer);
    this.#timerAt = Infinity;
    clearTimeout(this.#doc);
  }

  #arm(ms: number, why: () => string, timedOut: boolean, from: number): void {
    const at = from + Math.min(ms + killGraceMs, maxTimeoutMs);
    this.#due = { at, why, timedOut };
    this.#progressAt = Math.max(this.#progressAt, from);
    const look = this.#lookAt();
    if (look < this.#timerAt) this.#aim(look);
  }

  // When to look next: the deadline, or sooner when a block of a shorter limit may have started meanwhile.
  #lookAt(): number {
    return Math.min(this.#due?.at ?? Infinity, this.#progressAt + Math.min(this.#shortestMs + killGraceMs, maxTimeoutMs));
  }

  #aim(at: number): void {
    clearTimeout(this.#timer);
    this.#timerAt = at;
    this.#timer = setTimeout(() => this.#fired(), Math.max(0, at - performance.now()));
  }

  #fired(): void {
    this.#timerAt = Infinity;
    const due = this.#due;
    if (!due) return;
    const now = performance.now();
    if (this.#lookAt() > now) return this.#aim(this.#lookAt());
    const progress = this.#progress();
    if (progress) this.block(progress.blockMs, progress.at);
    else this.#progressAt = now; // no block started unseen: none can be due before now + the shortest limit
    if (this.#due!.at > now) return this.#aim(this.#lookAt());
    const expired = this.#due!;
    this.#due = undefined;
    this.#expire(expired.why(), expired.timedOut);
  }
}
