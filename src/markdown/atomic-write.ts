import { close, closeSync, fchmodSync, fchownSync, fstatSync, ftruncateSync, openSync, readSync, realpathSync, renameSync, unlinkSync, writeSync, type Stats } from 'node:fs';
import { dirname } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { sweepStaleTemps, tempPath } from './temp-files.js';

/** Given the file's current bytes, the text to write, or null to leave the file as it is. */
export type Rewrite = (current: Buffer) => string | null;

export interface RewriteResult {
  written: boolean;
  /** The file kept changing under us; nothing was written. */
  busy?: true;
  /** Another program rewrote the file while ours was being put in place: bytes it appended to the old copy could not be merged. */
  lostEdit?: true;
}

// A file another program appends to every millisecond can take many rounds (each one stamps it afresh).
const maxAttempts = 64;

interface Base {
  /** Open on the file as it was read: after a rename it still shows the replaced copy. */
  fd: number;
  bytes: Buffer;
  stats: Stats;
}

// Every read goes through one buffer, copied out at its read size: a stamp reads its doc three times
// or more, and a fresh 64 KiB buffer each time cost 16 first-touch page faults (0.16 ms on a microVM).
const scratch = Buffer.allocUnsafeSlow(64 * 1024);

function readAll(fd: number): Buffer {
  const chunks: Buffer[] = [];
  let position = 0;
  for (;;) {
    const read = readSync(fd, scratch, 0, scratch.length, position);
    if (read === 0) return chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
    chunks.push(Buffer.from(scratch.subarray(0, read)));
    position += read;
  }
}

function writeAll(fd: number, content: Buffer): void {
  for (let done = 0; done < content.length; ) done += writeSync(fd, content, done, content.length - done, done);
}

// The file's bytes now, or null when it is no longer the file we read (replaced, or gone).
function readAgain(target: string, base: Base): Buffer | null {
  try {
    const fd = openSync(target, 'r');
    try {
      const stats = fstatSync(fd);
      return stats.ino === base.stats.ino && stats.dev === base.stats.dev ? readAll(fd) : null;
    } finally {
      closeSync(fd);
    }
  } catch {
    return null;
  }
}

const startsWith = (bytes: Buffer, prefix: Buffer) => bytes.length >= prefix.length && bytes.subarray(0, prefix.length).equals(prefix);

const maxAppendRounds = 1000;

/**
 * Renames `temp` over the target once the target is still what was read. Bytes
 * appended to it meanwhile are appended to the temp file too (stamps and output
 * updates never touch a file's end); any other change means rewriting again.
 * Returns the bytes the rename replaced and what was put in place, or null.
 */
function renameWhenUnchanged(target: string, temp: string, base: Base, content: Buffer): { seen: Buffer; content: Buffer } | null {
  let seen = base.bytes;
  for (let round = 0; round < maxAppendRounds; round++) {
    const now = readAgain(target, base);
    if (now === null || !startsWith(now, seen)) break;
    if (now.length === seen.length) {
      renameSync(temp, target);
      return { seen, content };
    }
    const tail = now.subarray(seen.length);
    const fd = openSync(temp, 'a');
    try {
      writeSync(fd, tail);
    } finally {
      closeSync(fd);
    }
    content = Buffer.concat([content, tail]);
    seen = now;
  }
  unlinkSync(temp);
  return null;
}

// The new text in a temp file with the target's owner, group and mode; null when the owner cannot be kept (or no file can be made beside it).
function writeTemp(target: string, content: Buffer, stats: Stats): string | null {
  const temp = tempPath(target, 'rename');
  let fd: number;
  try {
    fd = openSync(temp, 'w', 0o600);
  } catch (error) {
    if (['EACCES', 'EPERM', 'EROFS'].includes((error as NodeJS.ErrnoException).code ?? '')) return null;
    throw error;
  }
  let kept = false;
  try {
    writeAll(fd, content);
    const own = fstatSync(fd);
    if (own.uid !== stats.uid || own.gid !== stats.gid) fchownSync(fd, stats.uid, stats.gid);
    fchmodSync(fd, stats.mode & 0o7777); // after chown, which clears set-id bits
    kept = true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') {
      closeSync(fd);
      unlinkSync(temp);
      throw error;
    }
  }
  closeSync(fd);
  if (kept) return temp;
  unlinkSync(temp);
  return null;
}

// Hard links, and files whose owner we cannot give a new copy: the same inode is overwritten. The new
// text goes to a journal first, so a run killed halfway is finished by the next one (temp-files.ts).
function writeInPlace(target: string, base: Base, content: Buffer): boolean {
  const journal = tempPath(target, 'in-place');
  let journaled = false;
  try {
    const fd = openSync(journal, 'w', 0o600);
    try {
      writeAll(fd, content);
    } finally {
      closeSync(fd);
    }
    journaled = true;
  } catch {
    // No file can be made beside it: write without a journal.
  }
  try {
    const fd = openSync(target, 'r+');
    try {
      if (!readAll(fd).equals(base.bytes)) return false;
      writeAll(fd, content);
      ftruncateSync(fd, content.length);
      return true;
    } finally {
      closeSync(fd);
    }
  } finally {
    if (journaled) unlinkSync(journal);
  }
}

const graceMs = 10;
const recentChangeMs = 2000;

// The replaced copy's bytes once nothing has been added to them for graceMs (a few rounds at most).
// Waited for, not slept through: the supervisor stamps a doc while other docs' executors talk to it.
async function settledContent(fd: number): Promise<Buffer> {
  let bytes = readAll(fd);
  for (let round = 0; round < 10; round++) {
    await sleep(graceMs);
    const now = readAll(fd);
    if (now.equals(bytes)) break;
    bytes = now;
  }
  return bytes;
}

/**
 * Rewrites a file so that nothing is lost: readers see the old or the new
 * content (a temp file renamed over it), a symlink stays a link (its target is
 * written), hard links stay linked and a file whose owner we cannot keep keeps
 * it (both written in place), owner, group and mode are kept. The file is read
 * again right before the rename: bytes appended meanwhile are carried over,
 * another change makes `rewrite` run again on the new content; bytes appended
 * to the old copy during the rename itself are merged into the new one (when
 * the file was seen changing, after a grace period for writes under way).
 */
export async function rewriteFile(path: string, rewrite: Rewrite): Promise<RewriteResult> {
  const target = realpathSync(path);
  const earlier = rewriting.get(target);
  const mine = (earlier ?? Promise.resolve()).then(() => rewriteNow(target, rewrite));
  const settled = mine.then(
    () => {},
    () => {},
  );
  rewriting.set(target, settled);
  try {
    return await mine;
  } finally {
    if (rewriting.get(target) === settled) rewriting.delete(target);
  }
}

// Rewrites of one file in this process, by its real path, go one after another: a run rewrites a doc
// while it runs the next, which may be the same file by another name. Two at once would each take the
// other's new copy for a stranger's edit, and the lines merged into one would be lost.
const rewriting = new Map<string, Promise<void>>();

async function rewriteNow(target: string, rewrite: Rewrite): Promise<RewriteResult> {
  sweepStaleTemps(dirname(target));
  // After a rename: what we put in place, and what reached the replaced copy too late.
  let previous: { written: Buffer; lateTail: Buffer } | undefined;
  let lostEdit = false;
  let wrote = false;
  const done = (written: boolean): RewriteResult => ({ written, ...(lostEdit ? { lostEdit } : {}) });
  for (let attempt = 0; attempt < maxAttempts; attempt++) {
    const fd = openSync(target, 'r');
    let replaced = false;
    try {
      const base: Base = { fd, stats: fstatSync(fd), bytes: readAll(fd) };
      let content: Buffer;
      if (previous && startsWith(base.bytes, previous.written)) {
        content = Buffer.concat([previous.written, previous.lateTail, base.bytes.subarray(previous.written.length)]);
      } else {
        if (previous) lostEdit = true;
        const text = rewrite(base.bytes);
        content = text === null ? base.bytes : Buffer.from(text, 'utf8');
      }
      previous = undefined;
      if (content.equals(base.bytes)) return done(wrote);
      const temp = base.stats.nlink > 1 ? null : writeTemp(target, content, base.stats);
      if (temp === null) {
        if (writeInPlace(target, base, content)) return done(true);
        continue;
      }
      const renamed = renameWhenUnchanged(target, temp, base, content);
      if (!renamed) continue;
      wrote = replaced = true;
      // Someone is writing to this file right now: writes already under way may still land in the old copy.
      // A file changed a moment before we read it counts too: a writer that opened it just before the
      // rename may write just after, whether or not we saw it write before.
      const busyFile = attempt > 0 || renamed.seen !== base.bytes || Date.now() - base.stats.mtimeMs < recentChangeMs;
      const late = busyFile ? await settledContent(fd) : readAll(fd);
      if (late.equals(renamed.seen)) return done(true);
      if (startsWith(late, renamed.seen)) previous = { written: renamed.content, lateTail: late.subarray(renamed.seen.length) };
      else lostEdit = true;
    } finally {
      // The last descriptor of a replaced copy: closing it frees the file's blocks, which takes the
      // file system up to a millisecond (ext4). Off this thread: a run stamps a doc while the next one waits.
      if (replaced) close(fd, () => {});
      else closeSync(fd);
    }
  }
  return { written: false, busy: true };
}
