import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { Loader } from 'esbuild';
import { esbuildVersion, transformOptions } from './esbuild-loader.js';
import { isMappings, type Mappings } from './source-mappings.js';

// A content-hash cache of esbuild's output, like tsx's and babel-loader's: a
// repeat run of an unchanged block neither loads nor calls esbuild. Entries are
// one JSON file each, written to a temporary name and renamed into place, so
// concurrent runs never read half an entry; an unreadable or malformed entry
// is a miss, and a folder we cannot write to only turns writing off.

/** One block's esbuild output: code and its source map segments. */
export interface TranspiledEntry {
  code: string;
  mappings: Mappings;
}

/** A block esbuild rejected, with the error at a 0-based position of the block. Kept in memory only. */
export interface FailedEntry {
  error: { text: string; line: number; column: number };
}

export type CacheEntry = TranspiledEntry | FailedEntry;

const formatVersion = 1;
const memory = new Map<string, CacheEntry>();
/** Entries kept in memory: enough for a large run, bounded for a long-lived process. */
const memoryLimit = 5000;
const fingerprints = new Map<Loader, string>();
const unwritable = new Set<string>();
const madeDirs = new Set<string>();
let tempCounter = 0;

/**
 * The folder entries live in, or undefined when disk caching is off.
 * RUNBOOK_CACHE=off (or 0/false/no) turns it off; RUNBOOK_CACHE_DIR moves it;
 * default: $XDG_CACHE_HOME/runbook, else ~/.cache/runbook.
 */
export function transpileCacheDir(env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (/^(0|off|false|no)$/i.test(env.RUNBOOK_CACHE ?? '')) return undefined;
  const base = env.RUNBOOK_CACHE_DIR || join(env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'runbook');
  return join(base, `transpile-v${formatVersion}`);
}

/** The content hash of a block: its source, loader, transform options and esbuild's version. */
export function cacheKey(source: string, loader: Loader): string {
  let fingerprint = fingerprints.get(loader);
  if (fingerprint === undefined) {
    fingerprint = `${formatVersion}\0${esbuildVersion()}\0${JSON.stringify({ ...transformOptions(loader, ''), sourcefile: undefined })}`;
    fingerprints.set(loader, fingerprint);
  }
  return createHash('sha256').update(fingerprint).update('\0').update(source).digest('hex');
}

function fromDisk(dir: string, key: string): TranspiledEntry | undefined {
  let text: string;
  try {
    text = readFileSync(join(dir, `${key}.json`), 'utf8');
  } catch {
    return undefined;
  }
  try {
    const value = JSON.parse(text) as { key?: unknown; code?: unknown; mappings?: unknown };
    if (value.key !== key || typeof value.code !== 'string' || !isMappings(value.mappings)) return undefined;
    return { code: value.code, mappings: value.mappings };
  } catch {
    return undefined; // a torn or foreign file: treated as a miss and overwritten on the next write
  }
}

function toDisk(dir: string, key: string, entry: TranspiledEntry): void {
  if (unwritable.has(dir)) return;
  const temp = join(dir, `${key}.${process.pid}.${++tempCounter}.tmp`);
  try {
    if (!madeDirs.has(dir)) {
      mkdirSync(dir, { recursive: true });
      madeDirs.add(dir);
    }
    writeFileSync(temp, JSON.stringify({ key, code: entry.code, mappings: entry.mappings }));
    renameSync(temp, join(dir, `${key}.json`));
  } catch {
    // Read-only, full or vanished: run on without writing, the cache is only a speed-up.
    unwritable.add(dir);
    try {
      rmSync(temp, { force: true });
    } catch {
      // Nothing to clean up.
    }
  }
}

function remember(key: string, entry: CacheEntry): void {
  if (memory.size >= memoryLimit) memory.clear();
  memory.set(key, entry);
}

/** Looks a block up in memory, then on disk. */
export function readCache(key: string): CacheEntry | undefined {
  const known = memory.get(key);
  if (known) return known;
  const dir = transpileCacheDir();
  const stored = dir === undefined ? undefined : fromDisk(dir, key);
  if (stored) remember(key, stored);
  return stored;
}

/** Stores esbuild's output (memory and disk) or its rejection (memory only, so the error is reported at the block's turn). */
export function writeCache(key: string, entry: CacheEntry): void {
  remember(key, entry);
  if ('error' in entry) return;
  const dir = transpileCacheDir();
  if (dir !== undefined) toDisk(dir, key, entry);
}
