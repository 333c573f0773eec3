import { randomUUID } from 'node:crypto';
import { atCallSite, captureCallSite } from '../call-site.js';
import { messageOf, runbookError } from '../errors.js';
import { Deadlines, type Deadline } from './deadlines.js';

/**
 * Request/response on top of any message transport that carries JSON-like
 * objects (websocket frames, JSON lines over a Unix socket, …).
 *
 * - a request is `{ type, data, requestId }`;
 * - its answer is `{ replyTo, data }` or `{ replyTo, error }`;
 * - everything else is an ordinary message and passes through untouched.
 *
 * The transport owns the wire; this module owns correlation and timeouts.
 */

/** Default time `ask()` waits for an answer. */
export const DEFAULT_ASK_TIMEOUT_MS = 10_000;

export interface AskRequest<T = unknown> {
  type: string;
  data: T;
  requestId: string;
}

export type AskAnswer<T = unknown> = { replyTo: string; data: T } | { replyTo: string; error: string };

type Answer = (payload: AskAnswer) => void;

/**
 * A message as a websocket or IPC peer sent it, decoded: any JSON value (raw
 * text or bytes outside json mode), and a request also has `reply()` and
 * `replyError()` (see IncomingRequest). It is `any`, as `JSON.parse()`'s result
 * is, because only the peer knows its shape: read its fields as you expect
 * them, or check them first (a zod schema's `parse()`) when the peer is not yours.
 */
export type ReceivedMessage = any;

/**
 * A received request, with the means to answer it. Its own properties are the
 * message's (`type`, `data`, `requestId`, and any others sent); `reply` and
 * `replyError` live on the prototype, so logging, spreading or cloning the
 * request shows only what was sent. They work detached too
 * (`const { reply } = request`).
 */
export class IncomingRequest<T = unknown> implements AskRequest<T> {
  type!: string;
  data!: T;
  requestId!: string;
  readonly #answer: Answer;
  #answered = false;

  constructor(message: AskRequest<T>, answer: Answer) {
    // Copying beats defineProperty on the parsed object several times over, on every request.
    this.type = message.type;
    this.data = message.data;
    this.requestId = message.requestId;
    for (const key in message) {
      if (key !== 'type' && key !== 'data' && key !== 'requestId') (this as Record<string, unknown>)[key] = (message as unknown as Record<string, unknown>)[key];
    }
    this.#answer = answer;
  }

  /** Answers the request; the asker's promise resolves with `data`. Answer once. */
  get reply(): (data?: unknown) => void {
    return (data?: unknown) => this.#respond({ replyTo: this.requestId, data }, 'reply');
  }

  /** Answers with an error; the asker's promise rejects with a message that includes `message`. */
  get replyError(): (message: string) => void {
    return (error: unknown) => this.#respond({ replyTo: this.requestId, error: typeof error === 'string' ? error : messageOf(error) }, 'replyError');
  }

  #respond(payload: AskAnswer, method: string): void {
    if (this.#answered) {
      throw runbookError('RUNBOOK_ALREADY_REPLIED', `${method}() called twice for the '${this.type}' request ${this.requestId}: a request takes exactly one answer.`);
    }
    this.#answered = true;
    this.#answer(payload);
  }
}

export interface AskReplyOptions {
  /** Writes one message to the other side. May return a promise; a rejection fails the ask. */
  send(message: object): void | Promise<void>;
  /** Names the other side in error messages, e.g. "the server". Default: "the other side". */
  peer?: string;
}

interface Pending {
  type: string;
  resolve(value: unknown): void;
  reject(error: Error): void;
  deadline: Deadline;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

/** True for `{ replyTo, data }` / `{ replyTo, error }` answers. */
export function isAnswer(message: unknown): message is AskAnswer {
  return isObject(message) && typeof message.replyTo === 'string' && message.replyTo !== '';
}

/** True for messages that expect an answer. */
export function isRequest(message: unknown): message is AskRequest {
  return isObject(message) && typeof message.requestId === 'string' && message.requestId !== '';
}

/**
 * One side of an ask/reply conversation over a single connection. Make one per
 * connection: `rejectAll()` is how a closed connection fails its pending asks.
 */
export class AskReply {
  readonly #send: AskReplyOptions['send'];
  readonly #peer: string;
  // A random prefix per channel keeps ids unique across reconnects; the counter keeps them cheap.
  readonly #prefix = randomUUID().slice(0, 8);
  #counter = 0;
  #pending = new Map<string, Pending>();
  #deadlines = new Deadlines();
  #closedReason: string | undefined;

  constructor(options: AskReplyOptions) {
    this.#send = options.send;
    this.#peer = options.peer ?? 'the other side';
  }

  /** Asks still waiting for an answer. */
  get pendingCount(): number {
    return this.#pending.size;
  }

  /**
   * Sends `{ type, data, requestId }` and resolves with the answer's `data`.
   * Rejects on an error answer, after `timeoutMs` (default 10000), or when
   * `rejectAll()` is called (disconnect, stop); the error's stack ends with
   * the frames of the code that called ask().
   */
  ask<T = unknown>(type: string, data?: unknown, timeoutMs: number = DEFAULT_ASK_TIMEOUT_MS): Promise<T> {
    if (typeof type !== 'string' || type === '') {
      return Promise.reject(
        runbookError('RUNBOOK_INVALID_ARGUMENT', `ask() needs a non-empty message type string as its first argument, got ${JSON.stringify(type) ?? String(type)}.`),
      );
    }
    if (typeof timeoutMs !== 'number' || !Number.isFinite(timeoutMs) || timeoutMs <= 0) {
      return Promise.reject(
        runbookError('RUNBOOK_INVALID_ARGUMENT', `ask('${type}') needs a positive timeout in milliseconds, got ${String(timeoutMs)} (${typeof timeoutMs}). Omit it for the default of ${DEFAULT_ASK_TIMEOUT_MS} ms.`),
      );
    }
    if (this.#closedReason !== undefined) {
      return Promise.reject(runbookError('RUNBOOK_ASK_CANCELLED', `ask('${type}') cannot be sent: ${this.#closedReason}.`));
    }
    const requestId = `${this.#prefix}-${++this.#counter}`;
    const site = captureCallSite(this.ask);
    return new Promise<T>((resolve, rejectPlain) => {
      const reject = (error: Error) => rejectPlain(atCallSite(error, site));
      const deadline = this.#deadlines.add(timeoutMs, () => {
        this.#pending.delete(requestId);
        reject(
          runbookError(
            'RUNBOOK_ASK_TIMEOUT',
            `ask('${type}') timed out after ${timeoutMs} ms: ${this.#peer} sent no reply. Make sure its handler calls reply() for '${type}' requests, or pass a longer timeout as the third argument.`,
          ),
        );
      });
      this.#pending.set(requestId, { type, resolve: resolve as (value: unknown) => void, reject, deadline });
      const request: AskRequest = { type, data, requestId };
      try {
        const sent = this.#send(request);
        if (sent && typeof sent.then === 'function') sent.then(undefined, (error: unknown) => this.#failSend(requestId, error));
      } catch (error) {
        this.#failSend(requestId, error);
      }
    });
  }

  /**
   * Feeds one received message through the protocol. Returns `undefined` when
   * it was the answer to one of our asks (consumed); a request comes back as
   * an `IncomingRequest` (its fields plus `reply()` / `replyError()`); anything
   * else (including answers nobody waits for any more) is returned unchanged.
   */
  receive<M>(message: M): M | undefined {
    if (isAnswer(message)) {
      const pending = this.#pending.get(message.replyTo);
      if (!pending) return message;
      this.#pending.delete(message.replyTo);
      pending.deadline.cancel();
      if ('error' in message && message.error !== undefined && message.error !== null) {
        const reason = typeof message.error === 'string' ? message.error : messageOf(message.error);
        const error = runbookError('RUNBOOK_ASK_ERROR', `ask('${pending.type}') was answered with an error by ${this.#peer}: ${reason}`);
        (error as Error & { remoteMessage?: string }).remoteMessage = reason;
        pending.reject(error);
      } else {
        pending.resolve((message as { data?: unknown }).data);
      }
      return undefined;
    }
    if (isRequest(message)) return new IncomingRequest(message, this.#sendAnswer) as M;
    return message;
  }

  /** Rejects every pending ask with `reason` (e.g. "the connection closed"); later asks fail at once. */
  rejectAll(reason: string): void {
    this.#closedReason = reason;
    const pending = [...this.#pending.values()];
    this.#pending.clear();
    for (const entry of pending) {
      entry.deadline.cancel();
      entry.reject(runbookError('RUNBOOK_ASK_CANCELLED', `ask('${entry.type}') got no reply: ${reason}.`));
    }
  }

  /** Lets a channel closed by `rejectAll()` send asks again (after a reconnect). */
  reopen(): void {
    this.#closedReason = undefined;
  }

  #failSend(requestId: string, error: unknown): void {
    const pending = this.#pending.get(requestId);
    if (!pending) return;
    this.#pending.delete(requestId);
    pending.deadline.cancel();
    pending.reject(runbookError('RUNBOOK_ASK_CANCELLED', `ask('${pending.type}') could not be sent: ${messageOf(error)}`, { cause: error }));
  }

  // Nobody awaits an answer, and a failed write means the asker is gone (its ask times out or is
  // rejected there): a handler answering a departed peer must not crash the doc.
  readonly #sendAnswer: Answer = (payload) => {
    try {
      const sent = this.#send(payload);
      if (sent && typeof sent.then === 'function') sent.then(undefined, () => {});
    } catch {
      // The asker is gone; see above.
    }
  };
}
