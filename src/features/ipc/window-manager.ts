import { join, resolve } from 'node:path';
import * as z from 'zod';
import { Feature, type FeatureHost } from '../../container/feature.js';
import { parseOptions } from '../../container/options.js';
import { hasCode, runbookError, type RunbookErrorCode } from '../../errors.js';
import { captureCallSite, withCallSite } from '../../call-site.js';
import { electBroker, type BrokerPaths, type ElectionResult } from './broker-election.js';
import type { IpcConnection } from './ipc-connection.js';
import { checkSocketPath, defaultSocketDir, ensureSocketDir } from './ipc-paths.js';
import { DEFAULT_MAX_FRAME_BYTES } from './json-lines.js';
import { WindowBroker } from './window-broker.js';
import { isLifecycleEvent, type AppClientInfo, type RouteOutcome, type TerminalExitedEvent, type WindowAck, type WindowClosedEvent, type WindowLifecycleEvent, type WindowOrigin } from './window-protocol.js';
import { WindowRequests, type PendingSpawn } from './window-requests.js';
import { lazy } from '../../container/lazy.js';

export type { AppClientInfo, TerminalExitedEvent, WindowAck, WindowClosedEvent, WindowLifecycleEvent } from './window-protocol.js';

const optionsSchema = lazy(() =>
  z
    .object({
      socketDir: z.string().min(1).optional().describe('Folder of the sockets and lock. Default: $RUNBOOK_IPC_DIR, $XDG_RUNTIME_DIR/runbook, or <tmpdir>/runbook-<uid>.'),
      electionTimeoutMs: z.number().int().positive().default(5000).describe('How long to look for (or become) a broker before giving up.'),
      maxFrameBytes: z.number().int().positive().default(DEFAULT_MAX_FRAME_BYTES),
    })
    .strict()
);

const spawnOptionsSchema = lazy(() =>
  z
    .object({
      timeout: z.number().int().positive().default(10_000),
      targetClientId: z.string().min(1).optional(),
    })
    .strict()
);

export type WindowManagerOptions = z.output<ReturnType<typeof optionsSchema>>;
export type WindowRole = 'none' | 'electing' | 'broker' | 'producer';

type WindowManagerState = {
  role: WindowRole;
  /** How many times this process lost its broker and re-elected. */
  failovers: number;
  pendingRequests: number;
};

/** Error codes that mean "the broker went away", not "the request failed": worth one retry. */
const BROKER_LOST_CODES: readonly RunbookErrorCode[] = ['RUNBOOK_ASK_CANCELLED', 'RUNBOOK_IPC_CLOSED', 'RUNBOOK_WINDOW_BROKER_CLOSED'];

/** The window manager's events, and what their listeners get. */
export interface WindowManagerEvents {
  /** A window this process opened was closed. */
  windowClosed: [event: WindowClosedEvent];
  /** The terminal in a window this process opened exited. */
  terminalExited: [event: TerminalExitedEvent];
  /** This process became the broker or a producer (again, after a failover). */
  roleChanged: [role: WindowRole];
  /** An app connected to the broker (only while this process is the broker). */
  appConnected: [app: AppClientInfo];
  /** An app's connection to the broker closed (only while this process is the broker). */
  appDisconnected: [app: AppClientInfo];
}

/**
 * Opens windows in a companion app over a Unix socket. Any number of
 * processes may use it at once: one is elected broker and owns the app
 * socket, the others (producers) send through it. A request waits for an app
 * up to its timeout; if the broker dies, the producers elect a new one and
 * re-send what is unanswered, which the new broker sends to the app once.
 *
 * Events (WindowManagerEvents): 'windowClosed' and 'terminalExited' (only for
 * windows this process opened), 'roleChanged' (role), 'appConnected' /
 * 'appDisconnected' (broker only).
 */
// State keeps Feature's default type (FeatureClass only accepts that); WindowManagerState documents its shape.
export class WindowManager extends Feature<WindowManagerOptions, Record<string, unknown>, WindowManagerEvents> {
  static override readonly featureName = 'windowManager';
  static override readonly kind = 'feature' as const;
  static override readonly description = 'Asks a companion app to open windows, through one elected broker process with failover.';
  static override get optionsSchema() {
    return optionsSchema();
  }

  readonly socketDir: string;
  readonly appSocketPath: string;
  readonly controlSocketPath: string;
  readonly lockPath: string;
  readonly #requests = new WindowRequests();
  readonly #owned = new Set<string>();
  readonly #localOrigin: WindowOrigin;
  #broker: WindowBroker | undefined;
  #connection: IpcConnection | undefined;
  #starting: Promise<void> | undefined;

  constructor(container: FeatureHost, options: WindowManagerOptions, registeredName: string) {
    super(container, options, registeredName);
    this.socketDir = resolve(this.container.settings.cwd, this.options.socketDir ?? defaultSocketDir());
    this.appSocketPath = join(this.socketDir, 'ipc-window.sock');
    this.controlSocketPath = join(this.socketDir, 'ipc-window-control.sock');
    this.lockPath = join(this.socketDir, 'ipc-window.lock');
    const manager = this;
    this.#localOrigin = { deliver: (event) => this.#onLifecycle(event), get isGone() { return manager.isDisposed; } };
  }

  protected override initialState(): Record<string, unknown> {
    return { role: 'none', failovers: 0, pendingRequests: 0 } satisfies WindowManagerState;
  }

  /** 'broker' or 'producer' once started; 'electing' while looking for a broker. */
  get role(): WindowRole {
    return this.state.get('role') as WindowRole;
  }

  /** Joins (or becomes) the broker. spawn() calls it for you. */
  async start(): Promise<this> {
    if (this.isDisposed) throw runbookError('RUNBOOK_DISPOSED', 'windowManager.start() called after the feature was disposed.');
    await this.enable();
    this.#starting ??= this.#elect().catch((error: unknown) => {
      this.#starting = undefined;
      throw error;
    });
    await this.#starting;
    return this;
  }

  /**
   * Asks an app to open `window`; resolves with its `windowAck`.
   * @param options.timeout ms to wait for the ack, including any wait for an app to connect or for a new broker [default 10000]
   * @param options.targetClientId the app to use [default: the most recently connected one]
   */
  spawn(window: Record<string, unknown>, options: { timeout?: number; targetClientId?: string } = {}): Promise<WindowAck> {
    return withCallSite(captureCallSite(this.spawn), this.#spawn(window, options));
  }

  async #spawn(window: Record<string, unknown>, options: { timeout?: number; targetClientId?: string }): Promise<WindowAck> {
    if (typeof window !== 'object' || window === null || Array.isArray(window)) {
      throw runbookError('RUNBOOK_INVALID_ARGUMENT', `windowManager.spawn() needs a window description object, got ${JSON.stringify(window) ?? String(window)}.`);
    }
    const parsed = parseOptions(spawnOptionsSchema(), options, 'windowManager.spawn()');
    await this.start();
    const { entry, done } = this.#requests.add(window, parsed.timeout, parsed.targetClientId);
    this.#syncPending();
    this.#dispatch(entry);
    return done.finally(() => this.#syncPending());
  }

  /** The apps connected to the broker right now. */
  async clients(): Promise<AppClientInfo[]> {
    await this.start();
    if (this.#broker) return this.#broker.apps.list();
    if (this.#connection) return this.#connection.ask<AppClientInfo[]>('listClients', {}, 2000);
    return [];
  }

  /** Resolves once at least one app (or the app `clientId`) is connected. */
  async waitForApp(options: { timeout?: number; clientId?: string } = {}): Promise<AppClientInfo[]> {
    const timeout = options.timeout ?? 5000;
    const deadline = Date.now() + timeout;
    for (;;) {
      const apps = await this.clients();
      if (apps.some((app) => options.clientId === undefined || app.clientId === options.clientId)) return apps;
      if (Date.now() >= deadline) {
        const wanted = options.clientId ? `the app '${options.clientId}'` : 'an app';
        throw runbookError('RUNBOOK_WINDOW_NO_APP', `Waited ${timeout} ms for ${wanted} to connect to ${this.appSocketPath}; none did. Start it pointed at that socket.`);
      }
      await new Promise((done) => setTimeout(done, 50));
    }
  }

  override openResources(): string[] {
    if (this.#broker) return ['server', 'server'];
    return this.#connection ? ['connection'] : [];
  }

  protected override async onDispose(): Promise<void> {
    this.#requests.failAll((entry) =>
      runbookError('RUNBOOK_DISPOSED', `Window request ${entry.requestId} was cancelled: the windowManager was disposed before the app answered.`),
    );
    const broker = this.#broker;
    const connection = this.#connection;
    this.#broker = undefined;
    this.#connection = undefined;
    this.state.set({ role: 'none', pendingRequests: 0 });
    await broker?.close();
    await connection?.close();
  }

  #paths(): BrokerPaths {
    return { appSocketPath: this.appSocketPath, controlSocketPath: this.controlSocketPath, lockPath: this.lockPath };
  }

  async #elect(): Promise<void> {
    ensureSocketDir(this.socketDir);
    checkSocketPath(this.controlSocketPath);
    this.state.set({ role: 'electing' });
    const result = await electBroker(this.#paths(), { timeoutMs: this.options.electionTimeoutMs, maxFrameBytes: this.options.maxFrameBytes });
    if (this.isDisposed) return void (await closeResult(result));
    if (result.role === 'broker') {
      const broker = new WindowBroker(result.control, result.app, result.lock);
      broker.on('appConnected', (app) => this.emit('appConnected', app));
      broker.on('appDisconnected', (app) => this.emit('appDisconnected', app));
      broker.claim([...this.#owned], this.#localOrigin);
      this.#broker = broker;
    } else {
      const connection = result.connection;
      connection.on('message', (message: unknown) => {
        if (isLifecycleEvent(message)) this.#onLifecycle(message);
      });
      connection.on('close', () => this.#onBrokerLost(connection));
      this.#connection = connection;
      if (this.#owned.size > 0) void connection.send({ type: 'claimWindows', windowIds: [...this.#owned] }).catch(() => {});
    }
    this.state.set({ role: result.role });
    this.emit('roleChanged', result.role);
    for (const entry of this.#requests.waiting()) this.#dispatch(entry);
  }

  #onBrokerLost(connection: IpcConnection): void {
    if (this.isDisposed || connection !== this.#connection) return;
    this.#connection = undefined;
    this.state.set({ failovers: (this.state.get('failovers') as number) + 1 });
    this.#starting = this.#elect().catch((error: unknown) => {
      this.#starting = undefined;
      this.state.set({ role: 'none' });
      const reason = (error as Error).message;
      this.#requests.failAll((entry) =>
        runbookError('RUNBOOK_WINDOW_BROKER_LOST', `Window request ${entry.requestId} was not answered: the broker went away and no new one could be elected (${reason})`),
      );
    });
  }

  #dispatch(entry: PendingSpawn): void {
    if (!this.#requests.isPending(entry)) return;
    const timeoutMs = entry.deadline - Date.now();
    if (timeoutMs <= 0) return;
    const request = { requestId: entry.requestId, window: entry.window, targetClientId: entry.targetClientId, timeoutMs, totalMs: entry.timeoutMs };
    const broker = this.#broker;
    const connection = this.#connection;
    let outcome: Promise<WindowAck>;
    if (broker) {
      outcome = broker.route(request, this.#localOrigin);
    } else if (connection) {
      outcome = connection.ask<RouteOutcome>('windowRequest', request, timeoutMs + 1000).then(unwrapOutcome);
    } else {
      entry.waiting = true; // an election is running; it dispatches us when done
      return;
    }
    entry.waiting = false;
    outcome.then(
      (ack) => {
        if (this.#requests.isPending(entry)) this.#owned.add(ack.windowId);
        this.#requests.finish(entry, ack);
      },
      (error: Error) => {
        if (!connection || !BROKER_LOST_CODES.some((code) => hasCode(error, code))) return this.#requests.fail(entry, error);
        this.#retryAfterFailover(entry, connection);
      },
    );
  }

  // It may have reached the app: the next broker gets it with the same requestId and answers it once.
  #retryAfterFailover(entry: PendingSpawn, lost: IpcConnection): void {
    entry.waiting = true;
    // Still on the old connection (its close is on the way): the election after that close dispatches it.
    if (this.#broker || (this.#connection && this.#connection !== lost)) this.#dispatch(entry);
  }

  #onLifecycle(event: WindowLifecycleEvent): void {
    if (event.type === 'windowClosed') {
      this.#owned.delete(event.windowId);
      this.emit('windowClosed', event);
    } else {
      this.emit('terminalExited', event);
    }
  }

  #syncPending(): void {
    if (!this.isDisposed) this.state.set({ pendingRequests: this.#requests.size });
  }
}

function unwrapOutcome(outcome: RouteOutcome): WindowAck {
  if ('ack' in outcome) return outcome.ack;
  // The broker's error keeps its code, whatever raised it there (a runbook error or Node's own).
  throw Object.assign(new Error(outcome.error.message), { code: outcome.error.code });
}

async function closeResult(result: ElectionResult): Promise<void> {
  if (result.role === 'producer') return result.connection.close();
  await Promise.all([result.control.close(), result.app.close()]);
  result.lock.release();
}
