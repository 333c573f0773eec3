import type { RawData, WebSocket, WebSocketServer as WsServer } from 'ws';
import * as z from 'zod';
import { messageOf, runbookError } from '../errors.js';
import { Feature } from '../container/feature.js';
import { parseOptions } from '../container/options.js';
import { AskReply, DEFAULT_ASK_TIMEOUT_MS, type ReceivedMessage } from '../protocol/ask-reply.js';
import { decodeFrame, encodeFrame, sendFrame, writeFrame } from '../protocol/websocket-frames.js';
import { importModule } from '../engine/import-module.js';
import { lazy } from '../container/lazy.js';

const portSchema = lazy(() => z.number().int().min(0).max(65_535));

const optionsSchema = lazy(() =>
  z
    .object({
      /** Parse incoming text frames as JSON and send values as JSON; needed for ask/reply. Default true. */
      json: z.boolean().default(true),
      /** Port for start() when it is not given there. Default 0: the system picks a free port. */
      port: portSchema().optional(),
      /** Interface to bind. Default 127.0.0.1 (only this machine can connect). */
      host: z.string().min(1).default('127.0.0.1'),
    })
    .strict()
);

const startSchema = lazy(() => z.object({ port: portSchema().optional(), host: z.string().min(1).optional() }).strict());

export type WebsocketServerOptions = z.input<ReturnType<typeof optionsSchema>>;
export type WebsocketStartOptions = z.infer<ReturnType<typeof startSchema>>;

type ServerState = {
  listening: boolean;
  port: number | null;
  connectionCount: number;
};

/** The websocket server's events, and what their listeners get. */
export interface WebsocketServerEvents {
  /** start() bound its port: the real one, also when started with port 0. */
  listening: [port: number];
  /** A client connected: its socket, for send() and ask(). */
  connection: [socket: WebSocket];
  /** A client sent a message; a request (`{ type, data, requestId }`) comes with `reply()` / `replyError()`. */
  message: [message: ReceivedMessage, socket: WebSocket];
  /** A client's connection closed. */
  disconnect: [socket: WebSocket];
  /** The server or a client's socket failed. */
  error: [error: Error];
  /** stop() closed the server. */
  stopped: [];
}

/**
 * A websocket server on `ws`. Events (WebsocketServerEvents): `listening` (port),
 * `connection` (ws), `message` (data, ws) — requests come with `data.reply()` /
 * `data.replyError()` — `disconnect` (ws), `error` (error), `stopped`.
 */
// State stays Feature's default type (FeatureClass only accepts that); ServerState documents its shape.
export class WebsocketServer extends Feature<z.infer<ReturnType<typeof optionsSchema>>, Record<string, unknown>, WebsocketServerEvents> {
  static override readonly featureName = 'websocket';
  static override readonly kind = 'server';
  static override readonly description = 'Websocket server with JSON messages and ask/reply request-response in both directions.';
  static override get optionsSchema() {
    return optionsSchema();
  }

  /** The sockets of the connected clients. */
  readonly connections = new Set<WebSocket>();
  #channels = new Map<WebSocket, AskReply>();
  #wss: WsServer | undefined;

  protected override initialState(): ServerState {
    return { listening: false, port: null, connectionCount: 0 };
  }

  /** The port it is bound to while listening (the real one when started with port 0), else undefined. */
  get port(): number | undefined {
    return (this.state.get('port') as ServerState['port']) ?? undefined;
  }

  get isListening(): boolean {
    return this.state.get('listening') === true;
  }

  /** Starts listening. `port` defaults to the `port` option, then 0 (any free port); `host` to 127.0.0.1. */
  async start(startOptions: WebsocketStartOptions = {}): Promise<this> {
    const { port = this.options.port ?? 0, host = this.options.host } = parseOptions(startSchema(), startOptions, "server 'websocket' start()");
    if (this.isDisposed) throw runbookError('RUNBOOK_DISPOSED', 'Cannot start the websocket server: it was already disposed.');
    if (this.#wss) {
      throw runbookError('RUNBOOK_ALREADY_STARTED', `The websocket server is already listening on port ${this.port}: call stop() before starting it again.`);
    }
    const { WebSocketServer } = await importModule<typeof import('ws')>('ws');
    const wss = new WebSocketServer({ port, host });
    this.#wss = wss;
    try {
      await new Promise<void>((resolve, reject) => {
        wss.once('listening', resolve);
        wss.once('error', reject);
      });
    } catch (error) {
      this.#wss = undefined;
      wss.on('error', () => {});
      wss.close();
      const busy = (error as NodeJS.ErrnoException).code === 'EADDRINUSE';
      throw runbookError(
        busy ? 'RUNBOOK_PORT_IN_USE' : 'RUNBOOK_LISTEN_FAILED',
        busy
          ? `Cannot start the websocket server on ${host}:${port}: the port is already in use. Start it with port 0 to get a free port, or pick one with networking.findOpenPort().`
          : `Cannot start the websocket server on ${host}:${port}: ${messageOf(error)}`,
        { cause: error },
      );
    }
    wss.on('error', (error) => this.emit('error', error));
    wss.on('connection', (socket) => this.#accept(socket));
    const address = wss.address();
    const boundPort = typeof address === 'object' && address ? address.port : port;
    this.state.set({ listening: true, port: boundPort } satisfies Partial<ServerState>);
    this.emit('listening', boundPort);
    return this;
  }

  /** Sends one message to one client (JSON in json mode). Resolves once written. */
  send(socket: WebSocket, message: unknown): Promise<void> {
    return sendFrame(this.#socket(socket, 'send'), encodeFrame(message, this.options.json), 'server.send()');
  }

  /** Sends one message to every connected client. */
  async broadcast(message: unknown): Promise<void> {
    const frame = encodeFrame(message, this.options.json);
    await Promise.all([...this.connections].filter((socket) => socket.readyState === 1).map((socket) => sendFrame(socket, frame, 'server.broadcast()')));
  }

  /**
   * Asks one connected client: sends `{ type, data, requestId }` and resolves
   * with its reply's data. Rejects on an error reply, after `timeoutMs`
   * (default 10000), or when that client disconnects or the server stops.
   */
  ask<T = unknown>(socket: WebSocket, type: string, data?: unknown, timeoutMs: number = DEFAULT_ASK_TIMEOUT_MS): Promise<T> {
    try {
      this.#requireJson('ask');
      const channel = this.#channels.get(this.#socket(socket, 'ask'));
      if (!channel) throw runbookError('RUNBOOK_NOT_CONNECTED', `server.ask('${type}') cannot be sent: that client has disconnected.`);
      return channel.ask<T>(type, data, timeoutMs);
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /** Rejects pending asks, terminates every client, then closes the server. Safe to call when stopped. */
  async stop(): Promise<void> {
    const wss = this.#wss;
    if (!wss) return;
    this.#wss = undefined;
    for (const channel of this.#channels.values()) channel.rejectAll('the websocket server stopped');
    // Terminate first: close() would otherwise wait for every client's closing handshake.
    for (const socket of this.connections) socket.terminate();
    await new Promise<void>((resolve) => wss.close(() => resolve()));
    this.connections.clear();
    this.#channels.clear();
    this.state.set({ listening: false, port: null, connectionCount: 0 });
    this.emit('stopped');
  }

  override openResources(): string[] {
    return this.#wss ? ['server'] : [];
  }

  protected override onDispose(): Promise<void> {
    return this.stop();
  }

  #accept(socket: WebSocket): void {
    const channel = new AskReply({ send: (message) => writeFrame(socket, encodeFrame(message, true), 'server.ask()'), peer: 'the client' });
    this.connections.add(socket);
    this.#channels.set(socket, channel);
    this.state.set({ connectionCount: this.connections.size });
    socket.on('message', (raw: RawData, isBinary: boolean) => {
      const decoded = decodeFrame(raw, isBinary, this.options.json);
      const message = this.options.json ? channel.receive(decoded) : decoded;
      if (message !== undefined) this.emit('message', message, socket);
    });
    socket.on('error', (error) => this.emit('error', error));
    socket.on('close', () => {
      channel.rejectAll('the client disconnected');
      this.#channels.delete(socket);
      if (this.connections.delete(socket)) {
        this.state.set({ connectionCount: this.connections.size });
        this.emit('disconnect', socket);
      }
    });
    this.emit('connection', socket);
  }

  #socket(socket: WebSocket, method: string): WebSocket {
    if (!this.connections.has(socket)) {
      throw runbookError(
        'RUNBOOK_INVALID_ARGUMENT',
        `server.${method}() needs a connected client socket as its first argument (one of server.connections), got ${socket === null ? 'null' : typeof socket}.`,
      );
    }
    return socket;
  }

  #requireJson(method: string): void {
    if (!this.options.json) {
      throw runbookError('RUNBOOK_NOT_JSON', `server.${method}() needs json mode: create the server with container.server('websocket', { json: true }).`);
    }
  }
}
