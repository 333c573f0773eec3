import { createHash, randomUUID } from 'node:crypto';
import { linkSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';

/**
 * A lock file that dies with its holder, without flock (Node has none).
 *
 * - Acquire: write `<pid> <uuid>` to a private temp file, then hard-link it to
 *   the lock path. link() is atomic and fails if the path exists, and the file
 *   is complete the instant it appears.
 * - A lock whose pid is dead may be broken, but only by whoever holds the
 *   lock `<path>.break-<hash of its content>` (taken the same way, so a
 *   breaker that dies is itself breakable). The breaker re-reads the lock and
 *   removes it only if it still holds that exact content. Contents are unique
 *   per acquisition, so once removed they never come back: two processes can
 *   never both "break" the same lock and delete a fresh one by mistake.
 */

export interface LockHandle {
  readonly path: string;
  /** The lock file's content: `<pid> <uuid>`. */
  readonly token: string;
  /** Removes the lock if it is still ours. Safe to call more than once. */
  release(): void;
}

// Depth of nested break locks; each level needs its own holder to die mid-break.
const MAX_BREAK_DEPTH = 3;

function readLock(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

function removeIgnoringMissing(path: string): void {
  try {
    unlinkSync(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
}

/** Is this process still running? A zombie (killed, not yet reaped) counts as dead. */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
  if (process.platform !== 'linux') return true;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return true;
  }
}

/** The pid written in a lock's content, or undefined if the content is not ours. */
export function lockHolderPid(content: string | undefined): number | undefined {
  const pid = Number(content?.split(' ')[0]);
  return Number.isInteger(pid) && pid > 0 ? pid : undefined;
}

function createExclusive(path: string, token: string): boolean {
  const temp = `${path}.${process.pid}-${randomUUID().slice(0, 8)}.tmp`;
  writeFileSync(temp, token, { mode: 0o600, flag: 'wx' });
  try {
    linkSync(temp, path);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  } finally {
    removeIgnoringMissing(temp);
  }
}

function breakIfStale(path: string, staleContent: string, depth: number): void {
  const hash = createHash('sha256').update(staleContent).digest('hex').slice(0, 16);
  const breaker = tryAcquireLock(`${path}.break-${hash}`, depth + 1);
  if (!breaker) return;
  try {
    // Under the break lock nobody else can remove this content, so check-then-unlink is safe.
    if (readLock(path) === staleContent) removeIgnoringMissing(path);
  } finally {
    breaker.release();
  }
}

/**
 * Takes the lock at `path`, or returns null when a live process holds it.
 * A lock left by a dead process is broken (race-free, see above) and taken.
 */
export function tryAcquireLock(path: string, depth = 0): LockHandle | null {
  const token = `${process.pid} ${randomUUID()}`;
  for (let attempt = 0; attempt < 3; attempt++) {
    if (createExclusive(path, token)) return lockHandle(path, token);
    const content = readLock(path);
    if (content === undefined) continue;
    const pid = lockHolderPid(content);
    if (pid !== undefined && isProcessAlive(pid)) return null;
    if (depth >= MAX_BREAK_DEPTH) return null;
    breakIfStale(path, content, depth);
  }
  return null;
}

/** Who holds the lock right now (pid), if anyone. */
export function readLockHolder(path: string): number | undefined {
  return lockHolderPid(readLock(path));
}

function lockHandle(path: string, token: string): LockHandle {
  let released = false;
  return {
    path,
    token,
    release(): void {
      if (released) return;
      released = true;
      if (readLock(path) === token) removeIgnoringMissing(path);
    },
  };
}
