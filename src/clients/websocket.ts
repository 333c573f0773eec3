import type { RawData, WebSocket } from 'ws';
import * as z from 'zod';
import { messageOf, runbookError } from '../errors.js';
import { Feature } from '../container/feature.js';
import { AskReply, DEFAULT_ASK_TIMEOUT_MS, type ReceivedMessage } from '../protocol/ask-reply.js';
import { decodeFrame, encodeFrame, sendFrame, writeFrame } from '../protocol/websocket-frames.js';
import { importModule } from '../engine/import-module.js';
import { lazy } from '../container/lazy.js';

const wsUrl = z.string().regex(/^wss?:\/\/[^\s/]+/, 'expected a ws:// or wss:// URL');

const optionsSchema = lazy(() =>
  z
    .object({
      /** Where connect() goes, e.g. `ws://localhost:8080`. */
      baseURL: wsUrl.optional(),
      /** Parse incoming text frames as JSON and send values as JSON; needed for ask/reply. Default true. */
      json: z.boolean().default(true),
      /** How long connect() waits for the connection to open, in ms. Default 10000. */
      connectTimeout: z.number().int().positive().default(10_000),
    })
    .strict()
);

export type WebsocketClientOptions = z.input<ReturnType<typeof optionsSchema>>;

type Status = 'idle' | 'connecting' | 'open' | 'closed';

type ClientState = {
  status: Status;
  url: string | null;
};

// How long disconnect() waits for the closing handshake before cutting the socket.
const CLOSE_GRACE_MS = 1_000;

/** The websocket client's events, and what their listeners get. */
export interface WebsocketClientEvents {
  /** connect() opened the connection. */
  open: [];
  /** The server sent a message; a request (`{ type, data, requestId }`) comes with `reply()` / `replyError()`. */
  message: [message: ReceivedMessage];
  /** The connection closed: the close code and the reason the other side gave (often empty). */
  close: [code: number, reason: string];
  /** The open connection failed (a failure to connect rejects connect() instead). */
  error: [error: Error];
}

/**
 * A websocket client on `ws`. Events (WebsocketClientEvents): `open`, `message`
 * (data) — requests from the server come with `data.reply()` / `data.replyError()`
 * — `close` (code, reason), `error`.
 */
// State stays Feature's default type (FeatureClass only accepts that); ClientState documents its shape.
export class WebsocketClient extends Feature<z.infer<ReturnType<typeof optionsSchema>>, Record<string, unknown>, WebsocketClientEvents> {
  static override readonly featureName = 'websocket';
  static override readonly kind = 'client';
  static override readonly description = 'Websocket client with JSON messages and ask/reply request-response in both directions.';
  static override get optionsSchema() {
    return optionsSchema();
  }

  #socket: WebSocket | undefined;
  #channel: AskReply | undefined;
  #connecting: Promise<this> | undefined;

  protected override initialState(): ClientState {
    return { status: 'idle', url: null };
  }

  get isConnected(): boolean {
    return (this.state.get('status') as Status) === 'open';
  }

  /** Opens the connection to `url` (default: the `baseURL` option). Resolves once open; a no-op when already open. */
  connect(url: string | undefined = this.options.baseURL): Promise<this> {
    if (this.#connecting) return this.#connecting;
    if (this.isConnected) return Promise.resolve(this);
    if (this.isDisposed) return Promise.reject(runbookError('RUNBOOK_DISPOSED', 'Cannot connect the websocket client: it was already disposed.'));
    const parsed = wsUrl.safeParse(url);
    if (!parsed.success) {
      return Promise.reject(
        runbookError(
          'RUNBOOK_INVALID_ARGUMENT',
          `client.connect() needs a ws:// or wss:// URL, got ${JSON.stringify(url) ?? 'undefined'}. Pass one, or create the client with container.client('websocket', { baseURL: 'ws://localhost:PORT' }).`,
        ),
      );
    }
    this.#connecting = this.#open(parsed.data).finally(() => (this.#connecting = undefined));
    return this.#connecting;
  }

  /** Sends one message (JSON in json mode). Resolves once written. */
  send(message: unknown): Promise<void> {
    try {
      return sendFrame(this.#openSocket('send'), encodeFrame(message, this.options.json), 'client.send()');
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /**
   * Asks the server: sends `{ type, data, requestId }` and resolves with the
   * reply's data. Rejects on an error reply, after `timeoutMs` (default 10000),
   * or when the connection closes.
   */
  ask<T = unknown>(type: string, data?: unknown, timeoutMs: number = DEFAULT_ASK_TIMEOUT_MS): Promise<T> {
    try {
      if (!this.options.json) {
        throw runbookError('RUNBOOK_NOT_JSON', "client.ask() needs json mode: create the client with container.client('websocket', { json: true }).");
      }
      this.#openSocket('ask', type);
      return this.#channel!.ask<T>(type, data, timeoutMs);
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /** Closes the connection (pending asks reject). Safe to call when not connected. */
  async disconnect(): Promise<void> {
    const socket = this.#socket;
    if (!socket) return;
    this.#channel?.rejectAll('the client disconnected');
    if (socket.readyState === 3) return;
    const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
    // A peer that never answers the close handshake must not hold the doc open.
    const grace = setTimeout(() => socket.terminate(), CLOSE_GRACE_MS);
    if (socket.readyState === 0) socket.terminate();
    else socket.close(1000, 'client disconnected');
    await closed;
    clearTimeout(grace);
  }

  override openResources(): string[] {
    const status = (this.state.get('status') as Status);
    return status === 'open' || status === 'connecting' ? ['client'] : [];
  }

  protected override onDispose(): Promise<void> {
    return this.disconnect();
  }

  async #open(url: string): Promise<this> {
    const { WebSocket } = await importModule<typeof import('ws')>('ws');
    const socket = new WebSocket(url);
    const channel = new AskReply({ send: (message) => writeFrame(socket, encodeFrame(message, true), 'client.ask()'), peer: 'the server' });
    this.#socket = socket;
    this.#channel = channel;
    this.state.set({ status: 'connecting', url });
    socket.on('message', (raw: RawData, isBinary: boolean) => {
      const decoded = decodeFrame(raw, isBinary, this.options.json);
      const message = this.options.json ? channel.receive(decoded) : decoded;
      if (message !== undefined) this.emit('message', message);
    });
    socket.on('close', (code: number, reason: Buffer) => {
      channel.rejectAll(`the connection to ${url} closed`);
      if (this.#socket === socket) this.#socket = undefined;
      this.state.set({ status: 'closed' });
      this.emit('close', code, reason.toString());
    });
    // Always listen for 'error': ws emits it on a failed or aborted handshake, and an unheard one would crash the process.
    let failConnect: ((error: Error) => void) | undefined;
    socket.on('error', (error) => (failConnect ? failConnect(error) : this.emit('error', error)));
    try {
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no answer within ${this.options.connectTimeout} ms`)), this.options.connectTimeout);
        failConnect = (error) => {
          clearTimeout(timer);
          reject(error);
        };
        socket.once('open', () => {
          clearTimeout(timer);
          resolve();
        });
      });
    } catch (error) {
      socket.terminate();
      this.state.set({ status: 'closed' });
      throw runbookError(
        'RUNBOOK_CONNECT_FAILED',
        `Cannot connect to ${url}: ${messageOf(error)}. Check that the server is started and listening on that host and port.`,
        { cause: error },
      );
    } finally {
      failConnect = undefined;
    }
    this.state.set({ status: 'open' });
    this.emit('open');
    return this;
  }

  // Names the call only when it fails: this runs on every ask, the hot path.
  #openSocket(method: 'send' | 'ask', type?: string): WebSocket {
    const socket = this.#socket;
    if (!socket || socket.readyState !== 1) {
      const call = method === 'ask' ? `ask('${type}')` : 'send()';
      throw runbookError(
        'RUNBOOK_NOT_CONNECTED',
        `client.${call} needs an open connection (status: ${this.state.get('status') as Status}): call await client.connect() first.`,
      );
    }
    return socket;
  }
}
