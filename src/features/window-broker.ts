import { Emitter } from '../container/emitter.js';
import { messageOf, runbookError } from '../errors.js';
import type { LockHandle } from './broker-lock.js';
import type { IpcConnection } from './ipc-connection.js';
import type { IpcServer } from './ipc-server.js';
import { WindowApps, type AppClient } from './window-apps.js';
import {
  isLifecycleEvent,
  isWindowAck,
  type RouteOutcome,
  type RouteRequest,
  type WindowAck,
  type WindowLifecycleEvent,
} from './window-protocol.js';

/** The process that asked for a window: the only one that hears about it afterwards. */
export interface WindowOrigin {
  deliver(event: WindowLifecycleEvent): void;
  readonly isGone: boolean;
}

interface PendingRoute {
  clientId: string;
  connection: IpcConnection;
  origin: WindowOrigin;
  resolve(ack: WindowAck): void;
  reject(error: Error): void;
  timer: NodeJS.Timeout;
}

// After a failover, apps replay acks and events before producers have re-claimed their windows.
const UNCLAIMED_TTL_MS = 10_000;

const FOLLOWER_GRACE_MS = 500;

type Request = { type?: unknown; data?: unknown; reply?: (data: unknown) => void };

/**
 * The elected broker: owns the app socket and the control socket, routes each
 * window request to one app, and routes the answer and the window's later
 * events back to the process that asked. Events: 'appConnected' and
 * 'appDisconnected' (AppClientInfo).
 */
export class WindowBroker extends Emitter {
  readonly apps: WindowApps;
  readonly #control: IpcServer;
  readonly #app: IpcServer;
  readonly #lock: LockHandle;
  readonly #pending = new Map<string, PendingRoute>();
  readonly #owners = new Map<string, WindowOrigin>();
  readonly #unclaimedAcks = new Map<string, { ack: WindowAck; at: number }>();
  readonly #unclaimedEvents = new Map<string, { events: WindowLifecycleEvent[]; at: number }>();
  readonly #producers = new Map<IpcConnection, WindowOrigin>();
  #closing = false;
  #graceUntil: number;
  readonly #waiters = new Set<() => void>();

  /** @param options.appGraceMs how long requests wait for a first app to (re)connect [default 0: fail at once] */
  constructor(control: IpcServer, app: IpcServer, lock: LockHandle, options: { appGraceMs?: number } = {}) {
    super();
    this.#graceUntil = Date.now() + (options.appGraceMs ?? 0);
    this.#control = control;
    this.#app = app;
    this.#lock = lock;
    this.apps = new WindowApps(app.path);
    this.apps.on('connected', (info: unknown) => {
      // Once one app is back, the others get a moment to follow, not the whole grace period.
      this.#graceUntil = Math.min(this.#graceUntil, Date.now() + FOLLOWER_GRACE_MS);
      this.emit('appConnected', info);
    });
    this.apps.on('disconnected', (info: unknown, connection: IpcConnection) => {
      this.#failPendingOf(connection, info as { clientId: string });
      this.emit('appDisconnected', info);
    });
    app.on('connection', (connection: IpcConnection) => this.apps.add(connection));
    app.on('disconnect', (connection: IpcConnection) => this.apps.remove(connection));
    app.on('message', (message: unknown, connection: IpcConnection) => this.#fromApp(message, connection));
    control.on('connection', (connection: IpcConnection) => this.#producers.set(connection, producerOrigin(connection)));
    control.on('disconnect', (connection: IpcConnection) => this.#forgetProducer(connection));
    control.on('message', (message: Request, connection: IpcConnection) => this.#fromProducer(message, connection));
  }

  get producerCount(): number {
    return this.#producers.size;
  }

  /** Sends a window request to an app; resolves with its ack, and remembers who asked. */
  async route(request: RouteRequest, origin: WindowOrigin): Promise<WindowAck> {
    if (this.#closing) {
      throw runbookError('RUNBOOK_WINDOW_BROKER_CLOSED', `Window request ${request.requestId} was not sent: the broker is shutting down.`);
    }
    const deadline = Date.now() + request.timeoutMs;
    this.#prune();
    const early = this.#takeUnclaimedAck(request.requestId, origin);
    if (early) return early;
    const client = await this.#appFor(request.targetClientId, deadline);
    // The app may have replayed its ack while we waited for it to reconnect.
    return this.#takeUnclaimedAck(request.requestId, origin) ?? this.#send(client, request, origin, Math.max(1, deadline - Date.now()));
  }

  #takeUnclaimedAck(requestId: string, origin: WindowOrigin): WindowAck | undefined {
    const early = this.#unclaimedAcks.get(requestId);
    if (!early) return undefined;
    this.#unclaimedAcks.delete(requestId);
    this.claim([early.ack.windowId], origin);
    return early.ack;
  }

  // Right after a failover the apps are still reconnecting: wait for one during the grace period instead of failing.
  #appFor(targetClientId: string | undefined, deadline: number): Promise<AppClient> {
    return new Promise((resolve, reject) => {
      const waitUntil = Math.min(this.#graceUntil, deadline);
      let timer: NodeJS.Timeout | undefined;
      const finish = (): void => {
        clearTimeout(timer);
        this.apps.off('connected', onConnected);
        this.#waiters.delete(abort);
      };
      const attempt = (final: boolean): boolean => {
        try {
          const client = this.apps.pick(targetClientId);
          finish();
          resolve(client);
          return true;
        } catch (error) {
          if (!final) return false;
          finish();
          reject(error);
          return true;
        }
      };
      const onConnected = (): void => void attempt(false);
      const abort = (): void => void attempt(true);
      if (attempt(Date.now() >= waitUntil)) return;
      this.apps.on('connected', onConnected);
      this.#waiters.add(abort);
      timer = setTimeout(abort, waitUntil - Date.now());
    });
  }

  #send(client: AppClient, request: RouteRequest, origin: WindowOrigin, timeoutMs: number): Promise<WindowAck> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#pending.delete(request.requestId);
        reject(
          runbookError(
            'RUNBOOK_WINDOW_TIMEOUT',
            `The app '${client.clientId}' did not answer window request ${request.requestId} within ${request.timeoutMs} ms. ` +
              `Check that it answers 'windowRequest' messages with a 'windowAck', or pass a longer timeout to spawn().`,
          ),
        );
      }, timeoutMs);
      this.#pending.set(request.requestId, { clientId: client.clientId, connection: client.connection, origin, resolve, reject, timer });
      client.connection.send({ type: 'windowRequest', requestId: request.requestId, window: request.window }).catch((error: unknown) => {
        this.#settle(request.requestId)?.reject(
          runbookError('RUNBOOK_WINDOW_SEND_FAILED', `Could not send window request ${request.requestId} to the app '${client.clientId}': ${messageOf(error)}. Try again.`),
        );
      });
    });
  }

  /** Makes `origin` the owner of windows (a producer re-registering after a failover). */
  claim(windowIds: string[], origin: WindowOrigin): void {
    for (const windowId of windowIds) {
      this.#owners.set(windowId, origin);
      const early = this.#unclaimedEvents.get(windowId);
      if (!early) continue;
      this.#unclaimedEvents.delete(windowId);
      // After the caller has seen its ack.
      setImmediate(() => early.events.forEach((event) => this.#deliver(event)));
    }
  }

  /** Rejects what is pending, closes both sockets (removing their files) and releases the lock. */
  async close(): Promise<void> {
    this.#closing = true;
    for (const abort of [...this.#waiters]) abort();
    for (const requestId of [...this.#pending.keys()]) {
      this.#settle(requestId)?.reject(runbookError('RUNBOOK_WINDOW_BROKER_CLOSED', `Window request ${requestId} was cancelled: the broker is shutting down.`));
    }
    try {
      await Promise.all([this.#control.close(), this.#app.close()]);
    } finally {
      this.#lock.release();
    }
  }

  #fromProducer(message: Request, connection: IpcConnection): void {
    if (typeof message !== 'object' || message === null) return;
    const origin = this.#producers.get(connection) ?? producerOrigin(connection);
    if (message.type === 'claimWindows') {
      const ids = (message as { windowIds?: unknown }).windowIds;
      if (Array.isArray(ids)) this.claim(ids.filter((id): id is string => typeof id === 'string'), origin);
      return;
    }
    if (typeof message.reply !== 'function') return;
    const reply = message.reply;
    if (message.type === 'hello') return reply({ pid: process.pid });
    if (message.type === 'listClients') return reply(this.apps.list());
    if (message.type !== 'windowRequest') return;
    this.route(message.data as RouteRequest, origin).then(
      (ack) => reply({ ack } satisfies RouteOutcome),
      (error: unknown) => {
        const code = (error as { code?: unknown }).code;
        reply({ error: { code: typeof code === 'string' ? code : 'RUNBOOK_WINDOW_FAILED', message: messageOf(error) } } satisfies RouteOutcome);
      },
    );
  }

  #fromApp(message: unknown, connection: IpcConnection): void {
    if (typeof message !== 'object' || message === null) return;
    const record = message as { type?: unknown; requestId?: unknown; error?: unknown };
    if (record.type === 'hello') return this.apps.hello(connection, message as { clientId?: unknown; labels?: unknown });
    if (isWindowAck(message)) {
      const pending = this.#settle(message.requestId);
      if (!pending) return void this.#unclaimedAcks.set(message.requestId, { ack: message, at: Date.now() });
      this.claim([message.windowId], pending.origin);
      return pending.resolve(message);
    }
    if (record.type === 'windowError' && typeof record.requestId === 'string') {
      const pending = this.#settle(record.requestId);
      pending?.reject(runbookError('RUNBOOK_WINDOW_REFUSED', `The app '${pending.clientId}' refused window request ${record.requestId}: ${messageOf(record.error)}`));
      return;
    }
    if (isLifecycleEvent(message)) this.#deliver(message);
  }

  #deliver(event: WindowLifecycleEvent): void {
    const owner = this.#owners.get(event.windowId);
    if (event.type === 'windowClosed') this.#owners.delete(event.windowId);
    if (owner) {
      if (!owner.isGone) owner.deliver(event);
      return;
    }
    this.#prune();
    const early = this.#unclaimedEvents.get(event.windowId) ?? { events: [], at: Date.now() };
    early.events.push(event);
    this.#unclaimedEvents.set(event.windowId, early);
  }

  #settle(requestId: string): PendingRoute | undefined {
    const pending = this.#pending.get(requestId);
    if (!pending) return undefined;
    this.#pending.delete(requestId);
    clearTimeout(pending.timer);
    return pending;
  }

  #failPendingOf(connection: IpcConnection, info: { clientId: string }): void {
    for (const [requestId, pending] of [...this.#pending]) {
      if (pending.connection !== connection) continue;
      this.#settle(requestId)?.reject(
        runbookError('RUNBOOK_WINDOW_APP_GONE', `The app '${info.clientId}' disconnected before answering window request ${requestId}. Reconnect the app and spawn again.`),
      );
    }
  }

  #forgetProducer(connection: IpcConnection): void {
    const origin = this.#producers.get(connection);
    this.#producers.delete(connection);
    for (const [windowId, owner] of [...this.#owners]) if (owner === origin) this.#owners.delete(windowId);
  }

  #prune(): void {
    const oldest = Date.now() - UNCLAIMED_TTL_MS;
    for (const [id, entry] of [...this.#unclaimedAcks]) if (entry.at < oldest) this.#unclaimedAcks.delete(id);
    for (const [id, entry] of [...this.#unclaimedEvents]) if (entry.at < oldest) this.#unclaimedEvents.delete(id);
  }
}

function producerOrigin(connection: IpcConnection): WindowOrigin {
  return {
    deliver: (event) => void connection.send(event).catch(() => {}),
    get isGone() {
      return !connection.isOpen;
    },
  };
}
