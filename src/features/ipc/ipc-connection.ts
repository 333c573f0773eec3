import { randomUUID } from 'node:crypto';
import type { Socket } from 'node:net';
import { Emitter } from '../../container/emitter.js';
import { runbookError } from '../../errors.js';
import { AskReply, type ReceivedMessage } from '../../protocol/ask-reply.js';
import { encodeJsonLine, JsonLinesDecoder, type MalformedFrame, type OversizedFrame } from './json-lines.js';

/** How long a closing connection waits for the peer's FIN before destroying the socket. */
const CLOSE_GRACE_MS = 200;

export interface IpcConnectionOptions {
  /** Largest accepted frame in bytes [default 1048576]. */
  maxFrameBytes?: number;
  /** Names the other side in error messages, e.g. "the server at /tmp/x.sock". */
  peer?: string;
}

/** An IPC connection's events, and what their listeners get. */
export interface IpcConnectionEvents {
  /** The other side sent a message; a request (`{ type, data, requestId }`) comes with `reply()` / `replyError()`. */
  message: [message: ReceivedMessage];
  /** A line that is not JSON arrived; the connection stays open. */
  malformed: [frame: MalformedFrame];
  /** A line over the size limit arrived; the connection is closed. */
  oversized: [frame: OversizedFrame];
  /** The connection closed, and why. */
  close: [info: { reason: string }];
  /** The socket failed; only informational, as `close` always follows. */
  error: [error: NodeJS.ErrnoException];
}

/**
 * One JSON-lines conversation over a Unix socket, either side.
 *
 * Events (IpcConnectionEvents): 'message' (msg; requests carry reply()/replyError()),
 * 'malformed' (frame: connection kept), 'oversized' (frame: connection closed),
 * 'close' ({ reason }), 'error' (err, informational: a close always follows).
 */
export class IpcConnection extends Emitter<IpcConnectionEvents> {
  readonly id = randomUUID();
  readonly socket: Socket;
  readonly peer: string;
  readonly #askReply: AskReply;
  readonly #decoder: JsonLinesDecoder;
  #closed = false;
  #closeReason: string;
  #closing: Promise<void> | undefined;

  constructor(socket: Socket, options: IpcConnectionOptions = {}) {
    super();
    this.socket = socket;
    this.peer = options.peer ?? 'the other side';
    this.#closeReason = `the connection to ${this.peer} closed`;
    this.#askReply = new AskReply({ send: (message) => this.send(message), peer: this.peer });
    this.#decoder = new JsonLinesDecoder(
      {
        message: (value) => this.#receive(value),
        malformed: (frame) => this.#malformed(frame),
        oversized: (frame) => this.#oversized(frame),
      },
      { maxFrameBytes: options.maxFrameBytes },
    );
    socket.on('data', (chunk: Buffer) => this.#decoder.push(chunk));
    socket.on('error', (error: NodeJS.ErrnoException) => {
      this.#closeReason = `the connection to ${this.peer} failed (${error.code ?? error.message})`;
      this.emit('error', error);
    });
    // A peer that half-closes gets a full close: we never keep talking to a silent socket.
    socket.on('end', () => socket.end());
    socket.on('close', () => this.#onClose());
  }

  get isOpen(): boolean {
    return !this.#closed && !this.socket.destroyed && this.socket.writable;
  }

  /** Asks waiting for an answer on this connection. */
  get pendingAsks(): number {
    return this.#askReply.pendingCount;
  }

  /** Writes one message; resolves once it is handed to the OS. Rejects if the connection is closed. */
  send(message: object): Promise<void> {
    if (!this.isOpen) {
      return Promise.reject(runbookError('RUNBOOK_IPC_CLOSED', `Cannot send to ${this.peer}: ${this.#closeReason}. Reconnect first.`));
    }
    const line = encodeJsonLine(message);
    return new Promise((resolve, reject) => {
      this.socket.write(line, (error) => (error ? reject(error) : resolve()));
    });
  }

  /**
   * Sends `{ type, data, requestId }` and resolves with the answer's data.
   * @param timeoutMs how long to wait for the answer [default 10000]
   */
  ask<T = unknown>(type: string, data?: unknown, timeoutMs?: number): Promise<T> {
    return this.#askReply.ask<T>(type, data, timeoutMs);
  }

  /** Closes gracefully (FIN, then destroy after a short grace); resolves once closed. */
  close(): Promise<void> {
    if (this.#closing) return this.#closing;
    this.#closing = new Promise((resolve) => {
      if (this.socket.destroyed) return resolve();
      this.socket.once('close', () => resolve());
      this.socket.end();
      setTimeout(() => this.socket.destroy(), CLOSE_GRACE_MS).unref();
    });
    return this.#closing;
  }

  #receive(value: unknown): void {
    const message = this.#askReply.receive(value);
    if (message !== undefined) this.emit('message', message);
  }

  #malformed(frame: MalformedFrame): void {
    this.emit('malformed', frame);
  }

  #oversized(frame: OversizedFrame): void {
    this.#closeReason = `a frame of more than ${frame.limit} bytes arrived, so the connection was closed`;
    this.emit('oversized', frame);
    // Tell the peer why before hanging up; it may not be listening, which is fine.
    const notice = { type: 'protocolError', error: `frame larger than ${frame.limit} bytes; closing the connection` };
    if (this.isOpen) this.socket.write(encodeJsonLine(notice));
    void this.close();
  }

  #onClose(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#askReply.rejectAll(this.#closeReason);
    this.emit('close', { reason: this.#closeReason });
  }
}
