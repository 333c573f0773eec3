import { lstatSync, mkdirSync, statSync, type Stats } from 'node:fs';
import { dirname } from 'node:path';
import { runbookError } from '../errors.js';

// Cache, socket and lock folders hold what runbook later trusts (code to
// run, sockets to talk to). Another user who could write into one, or who
// planted a symlink where one is made, could make runbook run their code.

/** What a folder is for, in messages, and how to fix a folder that is refused. */
export interface PrivateDirUse {
  /** e.g. 'Cache folder', 'Socket folder'. */
  label: string;
  /** The way out besides fixing the folder, e.g. 'set RUNBOOK_CACHE_DIR to a folder you own'. */
  fix: string;
  /** Refuse a folder others can read or enter too, not only one they can write (sockets: default false). */
  strict?: boolean;
}

/** The code of the error thrown for a folder that is not safe to use. */
export const UNSAFE_DIR = 'RUNBOOK_UNSAFE_DIR';

function currentUid(): number | undefined {
  return typeof process.getuid === 'function' ? process.getuid() : undefined;
}

function lstatOrUndefined(path: string): Stats | undefined {
  try {
    return lstatSync(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

const octal = (mode: number): string => (mode & 0o777).toString(8).padStart(4, '0');

/**
 * Makes `dir` (mode 0700; missing parents with default modes) or checks the
 * one that is there: a directory owned by this user that no other user can
 * write (`strict`: read or enter either). A symlink is followed only when
 * this user owns it, and then its target is checked the same way. An
 * existing folder is never chmod-ed. Throws an error with code
 * RUNBOOK_UNSAFE_DIR naming the folder and the fix; fs errors (EACCES,
 * EROFS) are thrown as they are.
 */
export function ensurePrivateDir(dir: string, use: PrivateDirUse): void {
  const refuse = (why: string, fix: string): never => {
    throw runbookError(UNSAFE_DIR, `${use.label} ${dir} ${why}. ${fix}, or ${use.fix}.`);
  };
  let link = lstatOrUndefined(dir);
  if (!link) {
    mkdirSync(dirname(dir), { recursive: true });
    try {
      mkdirSync(dir, { mode: 0o700 });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    link = lstatSync(dir);
  }
  const uid = currentUid();
  if (link.isSymbolicLink() && uid !== undefined && link.uid !== uid) {
    refuse(`is a symlink owned by uid ${link.uid}, not by you (uid ${uid}); runbook does not follow it`, 'Remove the symlink');
  }
  const stats = link.isSymbolicLink() ? statSync(dir) : link;
  if (!stats.isDirectory()) refuse('is not a directory', 'Remove it');
  if (uid === undefined || process.platform === 'win32') return;
  if (stats.uid !== uid) refuse(`belongs to uid ${stats.uid}, not to you (uid ${uid})`, 'Use a folder you own');
  if (use.strict && (stats.mode & 0o077) !== 0) refuse(`is open to other users (mode ${octal(stats.mode)})`, `Run chmod 700 ${dir}`);
  if ((stats.mode & 0o022) !== 0) refuse(`can be written by other users (mode ${octal(stats.mode)})`, `Run chmod 700 ${dir}`);
}
