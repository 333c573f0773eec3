import { Emitter } from '../../container/emitter.js';
import { messageOf, runbookError } from '../../errors.js';
import type { LockHandle } from './broker-lock.js';
import type { IpcConnection } from './ipc-connection.js';
import type { IpcServer } from './ipc-server.js';
import { WindowApps } from './window-apps.js';
import { isLifecycleEvent, isWindowAck, type AppClientInfo, type RouteOutcome, type RouteRequest, type WindowAck, type WindowLifecycleEvent, type WindowOrigin } from './window-protocol.js';
import { WindowRoutes } from './window-routes.js';

// After a failover, apps replay acks and events before producers have re-claimed their windows.
const UNCLAIMED_TTL_MS = 10_000;

// Long enough for an app's hello to arrive; far longer than a liveness probe stays connected.
const SILENT_APP_AFTER_MS = 100;

type Request = { type?: unknown; data?: unknown; reply?: (data: unknown) => void };

/**
 * The elected broker: owns the app socket and the control socket, queues
 * window requests until an app is there, sends each requestId to an app at
 * most once, and routes the answer and the window's later events back to the
 * process that asked. Events: 'appConnected' and 'appDisconnected' (AppClientInfo).
 */
export class WindowBroker extends Emitter<{ appConnected: [app: AppClientInfo]; appDisconnected: [app: AppClientInfo] }> {
  readonly apps = new WindowApps();
  readonly #control: IpcServer;
  readonly #app: IpcServer;
  readonly #lock: LockHandle;
  readonly #routes: WindowRoutes;
  readonly #owners = new Map<string, WindowOrigin>();
  readonly #unclaimedEvents = new Map<string, { events: WindowLifecycleEvent[]; at: number }>();
  readonly #producers = new Map<IpcConnection, WindowOrigin>();
  #closing = false;

  constructor(control: IpcServer, app: IpcServer, lock: LockHandle) {
    super();
    this.#control = control;
    this.#app = app;
    this.#lock = lock;
    this.#routes = new WindowRoutes(app.path, {
      answered: (origin, ack) => this.claim([ack.windowId], origin),
      connectedIds: () => this.apps.list().map((app) => app.clientId),
    });
    this.apps.on('connected', (info) => {
      this.#drain();
      // A silent app becomes usable a moment later.
      setTimeout(() => this.#drain(), SILENT_APP_AFTER_MS + 5).unref();
      this.emit('appConnected', info);
    });
    this.apps.on('disconnected', (info, connection) => {
      this.#routes.requeueSentTo(connection);
      this.#drain();
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

  /**
   * Resolves with the app's ack. A requestId seen before (a producer re-sending
   * after a failover) joins the first one, or gets the ack already received.
   */
  async route(request: RouteRequest, origin: WindowOrigin): Promise<WindowAck> {
    if (this.#closing) {
      throw runbookError('RUNBOOK_WINDOW_BROKER_CLOSED', `Window request ${request.requestId} was not sent: the broker is shutting down.`);
    }
    this.#prune();
    const answer = this.#routes.add(request, origin);
    this.#drain();
    return answer;
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
    this.#routes.failAll((requestId) => runbookError('RUNBOOK_WINDOW_BROKER_CLOSED', `Window request ${requestId} was cancelled: the broker is shutting down.`));
    try {
      await Promise.all([this.#control.close(), this.#app.close()]);
    } finally {
      this.#lock.release();
    }
  }

  // Sends queued requests, oldest first, to the app each one may go to now.
  #drain(): void {
    for (const route of this.#routes.queued()) {
      const client = this.apps.choose(route.request.targetClientId, SILENT_APP_AFTER_MS);
      if (!client) continue;
      this.#routes.markSent(route, client);
      const message = { type: 'windowRequest', requestId: route.request.requestId, window: route.request.window };
      client.connection.send(message).catch((error: unknown) => {
        // The app's 'disconnected' requeues it; a failed write on an open socket does not.
        if (client.connection.isOpen) {
          this.#routes.fail(route, runbookError('RUNBOOK_WINDOW_SEND_FAILED', `Could not send window request ${route.request.requestId} to the app '${client.clientId}': ${messageOf(error)}. Try again.`));
        }
      });
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
    const record = message as { type?: unknown; requestId?: unknown; error?: unknown; recentAcks?: unknown };
    if (record.type === 'hello') {
      // Acks the app sent to a broker that died: known before anything is sent to it.
      if (Array.isArray(record.recentAcks)) for (const ack of record.recentAcks) if (isWindowAck(ack)) this.#routes.answer(ack);
      return this.apps.hello(connection, message as { clientId?: unknown; labels?: unknown });
    }
    if (isWindowAck(message)) return this.#routes.answer(message);
    if (record.type === 'windowError' && typeof record.requestId === 'string') {
      const route = this.#routes.get(record.requestId);
      if (route) this.#routes.fail(route, runbookError('RUNBOOK_WINDOW_REFUSED', `The app '${route.client?.clientId ?? 'unknown'}' refused window request ${record.requestId}: ${messageOf(record.error)}`));
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

  #forgetProducer(connection: IpcConnection): void {
    const origin = this.#producers.get(connection);
    this.#producers.delete(connection);
    for (const [windowId, owner] of [...this.#owners]) if (owner === origin) this.#owners.delete(windowId);
  }

  #prune(): void {
    const oldest = Date.now() - UNCLAIMED_TTL_MS;
    this.#routes.prune(Date.now());
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
