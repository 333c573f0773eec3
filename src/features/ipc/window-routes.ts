import { runbookError } from '../../errors.js';
import type { IpcConnection } from './ipc-connection.js';
import type { AppClient } from './window-apps.js';
import type { RouteRequest, WindowAck, WindowOrigin } from './window-protocol.js';

/** One requestId at the broker, from its arrival until the app answers or its deadline passes. */
export interface Route {
  readonly request: RouteRequest;
  /** Who hears the answer and the window's events: the latest to send this requestId. */
  origin: WindowOrigin;
  /** Arrival order: queued routes are sent oldest first. */
  readonly seq: number;
  /** The app it was sent to; undefined while queued. */
  client?: AppClient;
  readonly waiters: Array<{ resolve(ack: WindowAck): void; reject(error: Error): void }>;
  readonly timer: NodeJS.Timeout;
}

export interface RouteHooks {
  /** Called before the asker hears the ack, to record who owns the window. */
  answered(origin: WindowOrigin, ack: WindowAck): void;
  /** The clientIds of the apps connected now, for messages. */
  connectedIds(): string[];
}

// A producer re-sends its unanswered requests after a failover, at most one spawn() timeout later.
const ANSWERED_TTL_MS = 60_000;

/**
 * The broker's bookkeeping of window requests by requestId: which wait for an
 * app, which an app has, and which were answered (so a request re-sent after a
 * failover is answered again instead of reaching the app twice).
 */
export class WindowRoutes {
  readonly #socketPath: string;
  readonly #hooks: RouteHooks;
  readonly #routes = new Map<string, Route>();
  readonly #answered = new Map<string, { ack: WindowAck; at: number }>();
  #seq = 0;

  constructor(socketPath: string, hooks: RouteHooks) {
    this.#socketPath = socketPath;
    this.#hooks = hooks;
  }

  get(requestId: string): Route | undefined {
    return this.#routes.get(requestId);
  }

  /** Settles with the app's ack; a known requestId joins its route or gets its earlier ack. */
  add(request: RouteRequest, origin: WindowOrigin): Promise<WindowAck> {
    const earlier = this.#answered.get(request.requestId);
    if (earlier) {
      this.#hooks.answered(origin, earlier.ack);
      return Promise.resolve(earlier.ack);
    }
    return new Promise((resolve, reject) => {
      const known = this.#routes.get(request.requestId);
      if (known) {
        known.origin = origin;
        known.waiters.push({ resolve, reject });
        return;
      }
      const timer = setTimeout(() => this.fail(route, this.#deadlineError(route)), request.timeoutMs);
      const route: Route = { request, origin, seq: ++this.#seq, waiters: [{ resolve, reject }], timer };
      this.#routes.set(request.requestId, route);
    });
  }

  /** Routes waiting for an app, oldest first. */
  queued(): Route[] {
    return [...this.#routes.values()].filter((route) => !route.client).sort((a, b) => a.seq - b.seq);
  }

  markSent(route: Route, client: AppClient): void {
    route.client = client;
  }

  // The app went away before answering: its ack may still come (replayed in its next hello), else the next app gets it.
  requeueSentTo(connection: IpcConnection): void {
    for (const route of this.#routes.values()) if (route.client?.connection === connection) route.client = undefined;
  }

  answer(ack: WindowAck): void {
    this.#answered.set(ack.requestId, { ack, at: Date.now() });
    const route = this.#take(ack.requestId);
    if (!route) return;
    this.#hooks.answered(route.origin, ack);
    for (const waiter of route.waiters) waiter.resolve(ack);
  }

  fail(route: Route, error: Error): void {
    if (this.#take(route.request.requestId) !== route) return;
    for (const waiter of route.waiters) waiter.reject(error);
  }

  failAll(makeError: (requestId: string) => Error): void {
    for (const route of [...this.#routes.values()]) this.fail(route, makeError(route.request.requestId));
  }

  /** Forgets answers older than the answer TTL. */
  prune(now: number): void {
    for (const [id, entry] of [...this.#answered]) if (entry.at < now - ANSWERED_TTL_MS) this.#answered.delete(id);
  }

  #take(requestId: string): Route | undefined {
    const route = this.#routes.get(requestId);
    if (!route) return undefined;
    this.#routes.delete(requestId);
    clearTimeout(route.timer);
    return route;
  }

  #deadlineError(route: Route): Error {
    const { request, client } = route;
    const waited = request.totalMs ?? request.timeoutMs;
    if (client) {
      return runbookError(
        'RUNBOOK_WINDOW_TIMEOUT',
        `The app '${client.clientId}' did not answer window request ${request.requestId} within ${waited} ms. ` +
          `Check that it answers 'windowRequest' messages with a 'windowAck', or pass a longer timeout to spawn().`,
      );
    }
    if (request.targetClientId === undefined) {
      return runbookError(
        'RUNBOOK_WINDOW_NO_APP',
        `No app connected to ${this.#socketPath} within ${waited} ms; the window request was not sent. ` +
          'Start the app (or a stand-in) pointed at that socket, or pass spawn() a longer timeout.',
      );
    }
    const connected = this.#hooks.connectedIds().map((id) => `'${id}'`).join(', ') || '(none)';
    return runbookError(
      'RUNBOOK_WINDOW_NO_SUCH_APP',
      `The app '${request.targetClientId}' did not connect to ${this.#socketPath} within ${waited} ms; the window request was not sent. ` +
        `Connected: ${connected}. Pick one of those, leave targetClientId out, or pass spawn() a longer timeout.`,
    );
  }
}
