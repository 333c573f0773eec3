import { mkdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runbookError } from '../errors.js';

// sun_path holds 108 bytes on Linux and 104 on macOS, terminator included.
export const MAX_SOCKET_PATH_BYTES = 103;

function currentUid(): number | undefined {
  return typeof process.getuid === 'function' ? process.getuid() : undefined;
}

/**
 * Where the window sockets live unless told otherwise: $RUNBOOK_IPC_DIR, else
 * $XDG_RUNTIME_DIR/runbook (already per-user), else <tmpdir>/runbook-<uid>.
 */
export function defaultSocketDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.RUNBOOK_IPC_DIR) return env.RUNBOOK_IPC_DIR;
  if (env.XDG_RUNTIME_DIR) return join(env.XDG_RUNTIME_DIR, 'runbook');
  return join(tmpdir(), `runbook-${currentUid() ?? 'user'}`);
}

/**
 * Creates `dir` with mode 0700 if missing. An existing folder is never
 * chmod-ed (it could be /tmp): it must already be ours and private.
 */
export function ensurePrivateDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const stats = statSync(dir);
  if (!stats.isDirectory()) {
    throw runbookError('RUNBOOK_IPC_BAD_DIR', `Socket folder ${dir} is not a directory. Point socketDir (or RUNBOOK_IPC_DIR) at a folder.`);
  }
  const uid = currentUid();
  if (uid !== undefined && stats.uid !== uid) {
    throw runbookError(
      'RUNBOOK_IPC_BAD_DIR',
      `Socket folder ${dir} belongs to uid ${stats.uid}, not to you (uid ${uid}). Use a folder you own, e.g. set RUNBOOK_IPC_DIR.`,
    );
  }
  if (process.platform !== 'win32' && (stats.mode & 0o077) !== 0) {
    const mode = (stats.mode & 0o777).toString(8).padStart(4, '0');
    throw runbookError(
      'RUNBOOK_IPC_BAD_DIR',
      `Socket folder ${dir} is open to other users (mode ${mode}). Use a private folder: chmod 700 it, or pick a new one.`,
    );
  }
}

/** Throws when a socket path is too long for the OS to bind or connect. */
export function checkSocketPath(path: string): void {
  const bytes = Buffer.byteLength(path);
  if (bytes > MAX_SOCKET_PATH_BYTES) {
    throw runbookError(
      'RUNBOOK_IPC_PATH_TOO_LONG',
      `Socket path ${path} is ${bytes} bytes; Unix sockets allow at most ${MAX_SOCKET_PATH_BYTES}. Use a shorter folder (e.g. under /tmp).`,
    );
  }
}
