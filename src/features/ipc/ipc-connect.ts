import { connect } from 'node:net';
import { runbookError } from '../../errors.js';
import { IpcConnection } from './ipc-connection.js';

export interface IpcConnectOptions {
  /** Largest accepted frame in bytes [default 1048576]. */
  maxFrameBytes?: number;
  /** Give up connecting after this long [default 2000]. */
  timeoutMs?: number;
}

const reasons: Record<string, string> = {
  ENOENT: 'no socket file exists there',
  ECONNREFUSED: 'a socket file exists but nobody is listening on it',
  EACCES: 'permission denied',
};

/** Connects to a JSON-lines Unix socket server. Rejects with RUNBOOK_IPC_CONNECT_FAILED. */
export function connectIpc(path: string, options: IpcConnectOptions = {}): Promise<IpcConnection> {
  const timeoutMs = options.timeoutMs ?? 2000;
  return new Promise((resolve, reject) => {
    const socket = connect(path);
    const fail = (why: string, code?: string): void => {
      clearTimeout(timer);
      socket.destroy();
      const error = runbookError(
        'RUNBOOK_IPC_CONNECT_FAILED',
        `Cannot connect to ${path}: ${why}. Start the server first, or check the path.`,
      );
      (error as Error & { errno?: string }).errno = code;
      reject(error);
    };
    const timer = setTimeout(() => fail(`no answer within ${timeoutMs} ms`, 'ETIMEDOUT'), timeoutMs);
    socket.once('error', (error: NodeJS.ErrnoException) => fail(reasons[error.code ?? ''] ?? error.message, error.code));
    socket.once('connect', () => {
      clearTimeout(timer);
      socket.removeAllListeners('error');
      resolve(new IpcConnection(socket, { maxFrameBytes: options.maxFrameBytes, peer: `the server at ${path}` }));
    });
  });
}
