import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runbookError } from '../../errors.js';
import { ensurePrivateDir } from '../../engine/private-dir.js';

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
 * Creates the socket folder 0700, or checks the one that is there: ours, not
 * reached through someone else's symlink, and closed to other users (see
 * src/engine/private-dir.ts). The broker lock lives in it too.
 */
export function ensureSocketDir(dir: string): void {
  ensurePrivateDir(dir, { label: 'Socket folder', fix: 'point socketDir (or RUNBOOK_IPC_DIR) at a private folder you own', strict: true });
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
