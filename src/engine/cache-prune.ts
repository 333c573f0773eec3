import type { Dirent } from 'node:fs';
import { lstat, readdir, rmdir, unlink, utimes } from 'node:fs/promises';
import { join } from 'node:path';
import { cacheDirUse, cacheRoot } from './file-cache.js';
import { ensurePrivateDir } from './private-dir.js';

// Keeps the caches from growing for ever. Every entry is keyed by content, so
// each edit of a doc, each new block and each build of runbook adds files, and
// nothing else removes them: a few months of work on a large doc set is
// gigabytes. At most once a day a run prunes while its docs run: folders of an
// older format (their runbook gone a week), temporary files of writers that
// died, and, in a folder over its cap, the entries written longest ago (a
// hit does not rewrite an entry: one that is still used is written again on
// its next miss). A run waits at most a second past its end for the prune to
// finish (tens of thousands of entries take a few seconds here); what is left
// is done the next day. Only runbook's own folders and files are touched, as
// RUNBOOK_CACHE_DIR may name a folder that holds other things too.

const day = 24 * 60 * 60 * 1000;
const pruneEveryMs = day;
/** An older format's folder still written to this recently belongs to another runbook in use. */
const outdatedAfterMs = 7 * day;
/** A temporary file this old was left by a writer that died. */
const strayTempAfterMs = 60 * 60 * 1000;
/** A folder over its cap is cut to this share of it, so that pruning is not due again at the next entry. */
const pruneDownTo = 0.75;
/** Each cache folder's cap unless RUNBOOK_CACHE_MAX_MB says otherwise. */
export const defaultFolderCapMb = 256;

/** Folders under the cache root that are runbook's (file-cache users and the loader's code cache). */
const ownFolder = /^(docs|transpile|ts-files|typecheck)-v(\d+)$|^code-cache$/;
/** Entries (content keys, `.json` or `.bin`) and their temporary files (`.<pid>[.<n>].tmp`). */
const ownEntry = /^[0-9a-f]+(?:-[0-9a-f]+)?\.(?:json|bin)$/;
const ownTemp = /^[0-9a-f]+(?:-[0-9a-f]+)?(?:\.json|\.bin)?(?:\.\d+)+\.tmp$/;
/** The folder whose modification time says when the caches were last pruned. */
const stampFolder = 'pruned';

export interface PruneReport {
  removedFolders: string[];
  removedEntries: number;
  freedBytes: number;
}

/** The cap of each folder in bytes: RUNBOOK_CACHE_MAX_MB, else the default; a value that is not a positive number is a usage error. */
export function folderCapBytes(env: NodeJS.ProcessEnv = process.env): number {
  const text = env.RUNBOOK_CACHE_MAX_MB;
  if (text === undefined || text === '') return defaultFolderCapMb * 1024 * 1024;
  const mb = Number(text);
  if (!Number.isFinite(mb) || mb <= 0) {
    throw new RangeError(`RUNBOOK_CACHE_MAX_MB is ${JSON.stringify(text)}; give a number of megabytes above 0, e.g. RUNBOOK_CACHE_MAX_MB=512 (default ${defaultFolderCapMb}).`);
  }
  return mb * 1024 * 1024;
}

/**
 * Prunes the cache root if the last prune was a day ago or more (or never);
 * otherwise, with caching off, or when the root is not ours, does nothing and
 * resolves to undefined. Never rejects: the caches are only a speed-up.
 */
export async function pruneCachesDaily(signal?: AbortSignal, env: NodeJS.ProcessEnv = process.env, now = Date.now()): Promise<PruneReport | undefined> {
  const root = cacheRoot(env);
  if (root === undefined) return undefined;
  const stamp = join(root, stampFolder);
  try {
    const capBytes = folderCapBytes(env);
    const last = await lstat(stamp).then(
      (stats) => stats.mtimeMs,
      () => 0,
    );
    if (now - last < pruneEveryMs) return undefined;
    ensurePrivateDir(root, cacheDirUse);
    ensurePrivateDir(stamp, cacheDirUse);
    // Said first: a run that starts meanwhile does not prune too.
    await utimes(stamp, now / 1000, now / 1000);
    return await pruneCaches(root, { capBytes, now, signal });
  } catch {
    return undefined; // unreadable, refused (preflight says why) or read-only: left as it is
  }
}

export interface PruneOptions {
  capBytes: number;
  now: number;
  /** Aborted: the prune ends after the batch of files it is at. */
  signal?: AbortSignal;
}

/** Prunes runbook's folders under `root` (see the top of this file). */
export async function pruneCaches(root: string, { capBytes, now, signal }: PruneOptions): Promise<PruneReport> {
  const report: PruneReport = { removedFolders: [], removedEntries: 0, freedBytes: 0 };
  const folders = (await readdir(root, { withFileTypes: true })).filter((entry) => entry.isDirectory() && ownFolder.test(entry.name));
  const newest = new Map<string, number>();
  for (const { name } of folders) {
    const [, format, version] = ownFolder.exec(name)!;
    if (format) newest.set(format, Math.max(newest.get(format) ?? 0, Number(version)));
  }
  for (const { name } of folders) {
    if (signal?.aborted) break;
    const [, format, version] = ownFolder.exec(name)!;
    const path = join(root, name);
    if (format && Number(version) < newest.get(format)!) {
      if (now - (await lstat(path)).mtimeMs >= outdatedAfterMs && (await removeOutdated(path, signal))) report.removedFolders.push(name);
      continue;
    }
    await pruneFolder(path, { capBytes, now, signal }, report);
  }
  return report;
}

/** Removes an older format's folder, unless it holds anything but cache files (then it is not ours): true when removed. */
async function removeOutdated(dir: string, signal: AbortSignal | undefined): Promise<boolean> {
  const dirents = await readdir(dir, { withFileTypes: true });
  if (!dirents.every((dirent) => dirent.isFile() && isOwnFile(dirent))) return false;
  await inBatches(dirents, signal, (dirent) => unlink(join(dir, dirent.name)).catch(() => {}));
  if (signal?.aborted) return false;
  await rmdir(dir).catch(() => {}); // a run wrote to it meanwhile: next time
  return true;
}

interface Entry {
  path: string;
  bytes: number;
  mtimeMs: number;
  temporary: boolean;
}

/** Files looked at or removed at once. */
const batchSize = 64;

async function pruneFolder(dir: string, { capBytes, now, signal }: PruneOptions, report: PruneReport): Promise<void> {
  const names = (await readdir(dir, { withFileTypes: true })).filter((dirent) => dirent.isFile() && isOwnFile(dirent)).map((dirent) => dirent.name);
  const found = await inBatches(names, signal, async (name): Promise<Entry | undefined> => {
    const stats = await lstat(join(dir, name)).catch(() => undefined);
    return stats && { path: join(dir, name), bytes: stats.size, mtimeMs: stats.mtimeMs, temporary: ownTemp.test(name) };
  });
  const doomed: Entry[] = [];
  const entries: Entry[] = [];
  let total = 0;
  for (const entry of found) {
    if (!entry) continue; // gone meanwhile
    if (!entry.temporary) {
      entries.push(entry);
      total += entry.bytes;
    } else if (now - entry.mtimeMs > strayTempAfterMs) doomed.push(entry);
  }
  if (total > capBytes) {
    entries.sort((a, b) => a.mtimeMs - b.mtimeMs);
    for (const entry of entries) {
      if (total <= capBytes * pruneDownTo) break;
      doomed.push(entry);
      total -= entry.bytes;
    }
  }
  if (signal?.aborted) return;
  const removed = await inBatches(doomed, signal, async (entry) => {
    await unlink(entry.path).catch(() => {}); // gone already: another run pruned it
    return entry;
  });
  report.removedEntries += removed.length;
  for (const entry of removed) report.freedBytes += entry.bytes;
}

/**
 * Calls `each` on the items a batch at a time (one file call at a time costs a
 * trip to libuv's threads per file), until `signal` is aborted.
 */
async function inBatches<T, R>(items: readonly T[], signal: AbortSignal | undefined, each: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = [];
  for (let start = 0; start < items.length && !signal?.aborted; start += batchSize) results.push(...(await Promise.all(items.slice(start, start + batchSize).map(each))));
  return results;
}

function isOwnFile(dirent: Dirent): boolean {
  return ownEntry.test(dirent.name) || ownTemp.test(dirent.name);
}
