import { randomUUID } from 'node:crypto';
import { Emitter } from '../../container/emitter.js';
import type { IpcConnection } from './ipc-connection.js';
import type { AppClientInfo } from './window-protocol.js';

export interface AppClient extends AppClientInfo {
  connection: IpcConnection;
  /** Connection order: the highest open one is "most recently connected". */
  seq: number;
  /** Said hello: a real app, not a stray connection such as a liveness probe. */
  greeted: boolean;
}

interface WindowAppsEvents {
  /** An app connected, or said hello (then with its own clientId and labels). */
  connected: [app: AppClientInfo];
  /** An app's connection closed: its requests go back in the queue. */
  disconnected: [app: AppClientInfo, connection: IpcConnection];
}

/**
 * The apps connected to the broker's app socket, and the choice of which one
 * gets a request. Events: 'connected' (info), 'disconnected' (info, connection).
 */
export class WindowApps extends Emitter<WindowAppsEvents> {
  readonly #clients = new Map<IpcConnection, AppClient>();
  #seq = 0;

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
   * The app for a request, or undefined while none fits: `targetClientId` if
   * given, else the most recently connected open one. Apps that said hello come
   * first; a silent connection only counts once it has been open for
   * `silentAfterMs` (a liveness probe hangs up long before that).
   */
  choose(targetClientId: string | undefined, silentAfterMs: number): AppClient | undefined {
    const open = this.#open();
    if (targetClientId !== undefined) return open.filter((client) => client.clientId === targetClientId).at(-1);
    const greeted = open.filter((client) => client.greeted);
    if (greeted.length > 0) return greeted.at(-1);
    const settled = Date.now() - silentAfterMs;
    return open.filter((client) => client.connectedAt <= settled).at(-1);
  }

  #open(): AppClient[] {
    return [...this.#clients.values()].filter((client) => client.connection.isOpen).sort((a, b) => a.seq - b.seq);
  }
}

function info(client: AppClient): AppClientInfo {
  return { clientId: client.clientId, labels: client.labels, connectedAt: client.connectedAt };
}
