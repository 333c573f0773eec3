import { randomUUID } from 'node:crypto';
import { Emitter } from '../container/emitter.js';
import { runbookError } from '../errors.js';
import type { IpcConnection } from './ipc-connection.js';
import type { AppClientInfo } from './window-protocol.js';

export interface AppClient extends AppClientInfo {
  connection: IpcConnection;
  /** Connection order: the highest open one is "most recently connected". */
  seq: number;
  /** Said hello: a real app, not a stray connection such as a liveness probe. */
  greeted: boolean;
}

/**
 * The apps connected to the broker's app socket, and the choice of which one
 * gets a request. Events: 'connected' (info), 'disconnected' (info, connection).
 */
export class WindowApps extends Emitter {
  readonly #socketPath: string;
  readonly #clients = new Map<IpcConnection, AppClient>();
  #seq = 0;

  constructor(socketPath: string) {
    super();
    this.#socketPath = socketPath;
  }

  get size(): number {
    return this.#clients.size;
  }

  add(connection: IpcConnection): void {
    const client: AppClient = { clientId: `app-${randomUUID().slice(0, 8)}`, labels: {}, connectedAt: Date.now(), connection, seq: ++this.#seq, greeted: false };
    this.#clients.set(connection, client);
    this.emit('connected', info(client));
  }

  /** An app introducing itself: `{ type: 'hello', clientId, labels }`. */
  hello(connection: IpcConnection, message: { clientId?: unknown; labels?: unknown }): void {
    const client = this.#clients.get(connection);
    if (!client) return;
    client.greeted = true;
    if (typeof message.clientId === 'string' && message.clientId !== '') client.clientId = message.clientId;
    if (typeof message.labels === 'object' && message.labels !== null) client.labels = { ...(message.labels as Record<string, unknown>) };
    this.emit('connected', info(client));
  }

  remove(connection: IpcConnection): void {
    const client = this.#clients.get(connection);
    if (!client) return;
    this.#clients.delete(connection);
    this.emit('disconnected', info(client), connection);
  }

  list(): AppClientInfo[] {
    return this.#open().map(info);
  }

  /**
   * The app for a request: `targetClientId` if given, else the most recently
   * connected open one, preferring apps that said hello.
   */
  pick(targetClientId?: string): AppClient {
    const open = this.#open();
    if (targetClientId !== undefined) {
      const matches = open.filter((client) => client.clientId === targetClientId);
      if (matches.length > 0) return matches[matches.length - 1];
      const ids = open.map((client) => `'${client.clientId}'`).join(', ') || '(none)';
      throw runbookError(
        'RUNBOOK_WINDOW_NO_SUCH_APP',
        `No app with clientId '${targetClientId}' is connected to ${this.#socketPath}. Connected: ${ids}. Pick one of those, or leave targetClientId out.`,
      );
    }
    const greeted = open.filter((client) => client.greeted);
    const newest = (greeted.length > 0 ? greeted : open).at(-1);
    if (!newest) {
      throw runbookError(
        'RUNBOOK_WINDOW_NO_APP',
        `No app is connected to ${this.#socketPath}. Start the app (or a stand-in) pointed at that socket, then call spawn() again.`,
      );
    }
    return newest;
  }

  #open(): AppClient[] {
    return [...this.#clients.values()].filter((client) => client.connection.isOpen).sort((a, b) => a.seq - b.seq);
  }
}

function info(client: AppClient): AppClientInfo {
  return { clientId: client.clientId, labels: client.labels, connectedAt: client.connectedAt };
}
