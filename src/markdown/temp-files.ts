import { closeSync, ftruncateSync, openSync, readdirSync, readFileSync, unlinkSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

// `.<name>.runbook-<pid>.tmp` (a copy renamed over the file) or `.<name>.runbook-<pid>.in-place.tmp`
// (the new text of a file being written in place); `-<hex>` is what older versions added.
const tempName = /^\.(.+)\.runbook-(\d+)(?:-[0-9a-f]+)?(\.in-place)?\.tmp$/;

/** The temp file beside `target` that this process writes `target`'s new text to. */
export function tempPath(target: string, kind: 'rename' | 'in-place'): string {
  return join(dirname(target), `.${basename(target)}.runbook-${process.pid}${kind === 'in-place' ? '.in-place' : ''}.tmp`);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

// A process killed between writing a file in place and truncating it left the
// new text followed by the old text's tail: cut the tail off.
function finishInPlaceWrite(journal: string, target: string): void {
  let intended: Buffer;
  let fd: number;
  try {
    intended = readFileSync(journal);
    fd = openSync(target, 'r+');
  } catch {
    return;
  }
  try {
    const current = readFileSync(fd);
    if (current.length > intended.length && current.subarray(0, intended.length).equals(intended)) ftruncateSync(fd, intended.length);
  } finally {
    closeSync(fd);
  }
}

const swept = new Set<string>();

/** Removes the temp files that runbook processes no longer alive left in `dir` (once per folder and process). */
export function sweepStaleTemps(dir: string): void {
  if (swept.has(dir)) return;
  swept.add(dir);
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return;
  }
  for (const name of names) {
    const match = tempName.exec(name);
    if (!match) continue;
    const pid = Number(match[2]);
    if (pid === process.pid || isAlive(pid)) continue;
    if (match[3]) finishInPlaceWrite(join(dir, name), join(dir, match[1]!));
    try {
      unlinkSync(join(dir, name));
    } catch {
      // Another runner swept it first.
    }
  }
}
