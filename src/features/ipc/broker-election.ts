import { hasCode, runbookError } from '../../errors.js';
import { tryAcquireLock, readLockHolder, type LockHandle } from './broker-lock.js';
import { connectIpc } from './ipc-connect.js';
import type { IpcConnection } from './ipc-connection.js';
import { IpcServer } from './ipc-server.js';
import { clearDeadSocket } from './socket-probe.js';

export interface BrokerPaths {
  /** Where apps connect. */
  appSocketPath: string;
  /** Where producers connect. */
  controlSocketPath: string;
  /** Held by the broker for as long as it lives. */
  lockPath: string;
}

export type ElectionResult =
  | { role: 'producer'; connection: IpcConnection }
  | { role: 'broker'; lock: LockHandle; control: IpcServer; app: IpcServer };

export interface ElectionOptions {
  /** Give up after this long [default 5000]. */
  timeoutMs?: number;
  maxFrameBytes?: number;
}

const HELLO_TIMEOUT_MS = 1500;

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

// A connect alone proves little: a dying broker's listener still queues connections until the kernel
// closes it. Only an answered hello proves a live broker.
async function tryConnect(path: string, maxFrameBytes: number | undefined): Promise<IpcConnection | undefined> {
  let connection: IpcConnection;
  try {
    connection = await connectIpc(path, { maxFrameBytes, timeoutMs: 1000 });
  } catch (error) {
    if (hasCode(error, 'RUNBOOK_IPC_CONNECT_FAILED')) return undefined;
    throw error;
  }
  try {
    await connection.ask('hello', { pid: process.pid }, HELLO_TIMEOUT_MS);
    return connection;
  } catch {
    await connection.close();
    return undefined;
  }
}

// Only the lock holder gets here; even so, a live listener is never unlinked (IpcServer.listen proves it dead first).
async function bindAsBroker(paths: BrokerPaths, lock: LockHandle, maxFrameBytes: number | undefined): Promise<ElectionResult> {
  let app: IpcServer | undefined;
  try {
    await clearDeadSocket(paths.appSocketPath);
    app = await IpcServer.listen(paths.appSocketPath, { maxFrameBytes });
    // The control socket goes last: a producer that reaches it finds a broker ready to route.
    const control = await IpcServer.listen(paths.controlSocketPath, { maxFrameBytes });
    return { role: 'broker', lock, control, app };
  } catch (error) {
    await app?.close();
    lock.release();
    throw error;
  }
}

/**
 * Becomes a producer (someone answers on the control socket) or the broker
 * (nobody answers and we win the lock). Losers of the lock wait for the
 * winner to bind and connect to it.
 */
export async function electBroker(paths: BrokerPaths, options: ElectionOptions = {}): Promise<ElectionResult> {
  const timeoutMs = options.timeoutMs ?? 5000;
  const deadline = Date.now() + timeoutMs;
  for (let round = 0; ; round++) {
    const connection = await tryConnect(paths.controlSocketPath, options.maxFrameBytes);
    if (connection) return { role: 'producer', connection };
    const lock = tryAcquireLock(paths.lockPath);
    if (lock) {
      try {
        return await bindAsBroker(paths, lock, options.maxFrameBytes);
      } catch (error) {
        // A live listener without the lock (say, an older build) owns a socket: leave it alone and report.
        if (!hasCode(error, 'RUNBOOK_IPC_SOCKET_IN_USE')) throw error;
        if (Date.now() >= deadline) throw error;
      }
    }
    if (Date.now() >= deadline) {
      const holder = readLockHolder(paths.lockPath);
      throw runbookError(
        'RUNBOOK_WINDOW_ELECTION_FAILED',
        `No windowManager broker answered on ${paths.controlSocketPath} within ${timeoutMs} ms` +
          (holder ? `, and process ${holder} holds the broker lock ${paths.lockPath}. ` : '. ') +
          'If that process is stuck, stop it; a lock whose process has died is taken over automatically.',
      );
    }
    // Jitter spreads out producers that all lost their broker at the same moment.
    await sleep(Math.min(20 + round * 10, 100) + Math.random() * 20);
  }
}
