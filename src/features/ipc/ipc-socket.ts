import { resolve } from 'node:path';
import * as z from 'zod';
import { Feature } from '../../container/feature.js';
import { runbookError } from '../../errors.js';
import { connectIpc } from './ipc-connect.js';
import type { IpcConnection } from './ipc-connection.js';
import { IpcServer } from './ipc-server.js';
import { checkSocketPath } from './ipc-paths.js';
import { DEFAULT_MAX_FRAME_BYTES } from './json-lines.js';
import { lazy } from '../../container/lazy.js';

export { IpcConnection } from './ipc-connection.js';
export { IpcServer } from './ipc-server.js';

const optionsSchema = lazy(() =>
  z
    .object({
      maxFrameBytes: z.number().int().positive().default(DEFAULT_MAX_FRAME_BYTES).describe('Largest accepted JSON line in bytes; a bigger frame closes the connection.'),
      connectTimeoutMs: z.number().int().positive().default(2000).describe('How long connect() waits before giving up.'),
    })
    .strict()
);

export type IpcSocketOptions = z.output<ReturnType<typeof optionsSchema>>;

/**
 * Newline-delimited JSON over Unix sockets, with ask/reply on top: a server
 * (`listen(path)`) and clients (`connect(path)`). Everything it opened is
 * closed when the feature (or the doc's container) is disposed.
 */
export class IpcSocket extends Feature<IpcSocketOptions> {
  static override readonly featureName = 'ipcSocket';
  static override readonly kind = 'feature' as const;
  static override readonly description = 'JSON lines over Unix sockets: listen(path) / connect(path), send(), ask() and reply().';
  static override get optionsSchema() {
    return optionsSchema();
  }

  readonly #servers = new Set<IpcServer>();
  readonly #clients = new Set<IpcConnection>();

  /**
   * Listens on a socket path (relative paths resolve against the doc's folder).
   * A socket file left by a dead process is removed first; a live one is never
   * touched: that throws RUNBOOK_IPC_SOCKET_IN_USE.
   */
  async listen(path: string, options: { replaceStale?: boolean; mode?: number } = {}): Promise<IpcServer> {
    const full = this.#resolve(path, 'listen');
    const server = await IpcServer.listen(full, { ...options, maxFrameBytes: this.options.maxFrameBytes });
    this.#servers.add(server);
    server.once('close', () => this.#servers.delete(server));
    return server;
  }

  /** Connects to a socket path; rejects with RUNBOOK_IPC_CONNECT_FAILED when nobody listens there. */
  async connect(path: string, options: { timeoutMs?: number } = {}): Promise<IpcConnection> {
    const full = this.#resolve(path, 'connect');
    const connection = await connectIpc(full, {
      maxFrameBytes: this.options.maxFrameBytes,
      timeoutMs: options.timeoutMs ?? this.options.connectTimeoutMs,
    });
    this.#clients.add(connection);
    connection.once('close', () => this.#clients.delete(connection));
    return connection;
  }

  override openResources(): string[] {
    return [...[...this.#servers].map(() => 'server'), ...[...this.#clients].map(() => 'connection')];
  }

  protected override async onDispose(): Promise<void> {
    // Clients first, so servers see ordinary disconnects rather than resets.
    await Promise.all([...this.#clients].map((client) => client.close()));
    await Promise.all([...this.#servers].map((server) => server.close()));
  }

  #resolve(path: string, method: string): string {
    if (typeof path !== 'string' || path === '') {
      throw runbookError('RUNBOOK_INVALID_ARGUMENT', `ipcSocket.${method}() needs a socket path string, got ${JSON.stringify(path) ?? String(path)}.`);
    }
    if (this.isDisposed) {
      throw runbookError('RUNBOOK_DISPOSED', `ipcSocket.${method}('${path}') called after the feature was disposed.`);
    }
    const full = resolve(this.container.settings.cwd, path);
    checkSocketPath(full);
    return full;
  }
}
