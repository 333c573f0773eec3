import { chmodSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { Emitter } from '../../container/emitter.js';
import { runbookError } from '../../errors.js';
import { IpcConnection } from './ipc-connection.js';
import type { MalformedFrame, OversizedFrame } from './json-lines.js';
import type { ReceivedMessage } from '../../protocol/ask-reply.js';
import { clearDeadSocket, socketInUse } from './socket-probe.js';

export interface IpcServerOptions {
  /** Largest accepted frame in bytes [default 1048576]. */
  maxFrameBytes?: number;
  /** Remove a socket file left by a dead listener (proved dead by a connect attempt) [default true]. */
  replaceStale?: boolean;
  /** Permission bits of the socket file [default 0o600]. */
  mode?: number;
}

/** An IPC server's events, and what their listeners get: its connections' events, each with the connection. */
export interface IpcServerEvents {
  /** A client connected. */
  connection: [connection: IpcConnection];
  /** A client sent a message; a request comes with `reply()` / `replyError()`. */
  message: [message: ReceivedMessage, connection: IpcConnection];
  /** A client's connection closed. */
  disconnect: [connection: IpcConnection];
  /** A client sent a line that is not JSON (its connection stays open). */
  malformed: [frame: MalformedFrame, connection: IpcConnection];
  /** A client sent a line over the size limit (its connection is closed). */
  oversized: [frame: OversizedFrame, connection: IpcConnection];
  /** close() finished: no connection left, the socket file removed. */
  close: [];
}

/**
 * A JSON-lines server on a Unix socket path.
 *
 * Events (IpcServerEvents): 'connection' (conn), 'message' (msg, conn), 'disconnect' (conn),
 * 'malformed' (frame, conn), 'oversized' (frame, conn), 'close'.
 */
export class IpcServer extends Emitter<IpcServerEvents> {
  readonly path: string;
  readonly connections = new Set<IpcConnection>();
  readonly #server: Server;
  readonly #maxFrameBytes: number | undefined;
  #closing: Promise<void> | undefined;

  private constructor(path: string, server: Server, maxFrameBytes: number | undefined) {
    super();
    this.path = path;
    this.#server = server;
    this.#maxFrameBytes = maxFrameBytes;
    server.on('connection', (socket) => this.#accept(new IpcConnection(socket, { maxFrameBytes, peer: `a client of ${path}` })));
  }

  /** Binds `path`. Never takes a path away from a live listener (throws RUNBOOK_IPC_SOCKET_IN_USE). */
  static async listen(path: string, options: IpcServerOptions = {}): Promise<IpcServer> {
    if (options.replaceStale !== false) await clearDeadSocket(path);
    const server = createServer();
    await new Promise<void>((resolve, reject) => {
      const onError = (error: NodeJS.ErrnoException): void => {
        if (error.code === 'EADDRINUSE') reject(socketInUse(path));
        else reject(runbookError('RUNBOOK_IPC_LISTEN_FAILED', `Cannot listen on ${path}: ${error.message}. Check the folder exists and is writable.`, { cause: error }));
      };
      server.once('error', onError);
      server.listen(path, () => {
        server.off('error', onError);
        resolve();
      });
    });
    // Bound before chmod, so the folder's own mode (0700 for ours) is what really guards the gap.
    chmodSync(path, options.mode ?? 0o600);
    server.on('error', () => {});
    return new IpcServer(path, server, options.maxFrameBytes);
  }

  get maxFrameBytes(): number | undefined {
    return this.#maxFrameBytes;
  }

  get isListening(): boolean {
    return this.#server.listening;
  }

  /** Asks one connected client; resolves with its answer's data. */
  ask<T = unknown>(connection: IpcConnection, type: string, data?: unknown, timeoutMs?: number): Promise<T> {
    return connection.ask<T>(type, data, timeoutMs);
  }

  /** Sends a message to every open connection. */
  async broadcast(message: object): Promise<void> {
    await Promise.allSettled([...this.connections].filter((c) => c.isOpen).map((c) => c.send(message)));
  }

  /** Closes every connection, stops listening and removes the socket file. */
  close(): Promise<void> {
    if (this.#closing) return this.#closing;
    this.#closing = (async () => {
      const closed = new Promise<void>((resolve) => this.#server.close(() => resolve()));
      await Promise.all([...this.connections].map((connection) => connection.close()));
      // Node removes the socket file when a Unix socket server closes.
      await closed;
      this.emit('close');
    })();
    return this.#closing;
  }

  #accept(connection: IpcConnection): void {
    this.connections.add(connection);
    connection.on('message', (message) => this.emit('message', message, connection));
    connection.on('malformed', (frame) => this.emit('malformed', frame, connection));
    connection.on('oversized', (frame) => this.emit('oversized', frame, connection));
    connection.on('close', () => {
      this.connections.delete(connection);
      this.emit('disconnect', connection);
    });
    this.emit('connection', connection);
  }
}
