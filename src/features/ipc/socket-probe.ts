import { lstatSync, unlinkSync } from 'node:fs';
import { connect } from 'node:net';
import { runbookError } from '../../errors.js';

/** What a connect attempt says about a socket path. */
export type SocketLiveness = 'alive' | 'dead' | 'missing';

/**
 * Tries to connect to a Unix socket. A listener that accepts is 'alive'; a
 * path nobody listens on is 'dead'; no file is 'missing'. A connect that
 * neither succeeds nor fails within the timeout counts as alive: a busy
 * listener must never lose its socket.
 */
export function probeSocket(path: string, timeoutMs = 1000): Promise<SocketLiveness> {
  return new Promise((resolve) => {
    const socket = connect(path);
    const finish = (result: SocketLiveness): void => {
      clearTimeout(timer);
      socket.removeAllListeners();
      socket.on('error', () => {});
      socket.destroy();
      resolve(result);
    };
    const timer = setTimeout(() => finish('alive'), timeoutMs);
    socket.once('connect', () => finish('alive'));
    socket.once('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') finish('missing');
      else if (error.code === 'ECONNREFUSED') finish('dead');
      // EACCES, EAGAIN…: we cannot tell, so we must not delete it.
      else finish('alive');
    });
  });
}

/**
 * Makes `path` free for a new listener: removes it only when a connect
 * attempt proves nobody listens on it, and only if it is a socket.
 * Throws RUNBOOK_IPC_SOCKET_IN_USE when a live listener holds it.
 */
export async function clearDeadSocket(path: string, timeoutMs?: number): Promise<'missing' | 'removed'> {
  const liveness = await probeSocket(path, timeoutMs);
  if (liveness === 'missing') return 'missing';
  if (liveness === 'alive') throw socketInUse(path);
  let isSocket = false;
  try {
    isSocket = lstatSync(path).isSocket();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 'missing';
    throw error;
  }
  if (!isSocket) {
    throw runbookError(
      'RUNBOOK_IPC_NOT_A_SOCKET',
      `Cannot listen on ${path}: a file that is not a socket is in the way. Remove it yourself if it is not needed, or choose another path.`,
    );
  }
  try {
    unlinkSync(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  return 'removed';
}

export function socketInUse(path: string): Error {
  return runbookError(
    'RUNBOOK_IPC_SOCKET_IN_USE',
    `Cannot listen on ${path}: another process is listening there. Connect to it as a client instead, or stop that process first.`,
  );
}
