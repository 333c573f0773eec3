import { createHash } from 'node:crypto';
import type { Loader } from 'esbuild';
import { esbuildVersion, transformOptions } from './esbuild-loader.js';
import { FileCache } from './file-cache.js';
import { isMappings, type Mappings } from './source-mappings.js';

// esbuild's output by content hash: a block seen before (in this process or an
// earlier run) neither loads nor calls esbuild.

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

const formatVersion = 2;
const fingerprints = new Map<Loader, string>();

function fromJson(value: unknown): TranspiledEntry | undefined {
  const entry = value as { code?: unknown; mappings?: unknown } | null;
  if (typeof entry?.code !== 'string' || !isMappings(entry.mappings)) return undefined;
  return { code: entry.code, mappings: entry.mappings };
}

const cache = new FileCache<CacheEntry>(`transpile-v${formatVersion}`, fromJson);

/** The content hash of a block: its source, loader, transform options and esbuild's version. */
export function cacheKey(source: string, loader: Loader): string {
  let fingerprint = fingerprints.get(loader);
  if (fingerprint === undefined) {
    fingerprint = `${formatVersion}\0${esbuildVersion()}\0${JSON.stringify({ ...transformOptions(loader, ''), sourcefile: undefined })}`;
    fingerprints.set(loader, fingerprint);
  }
  return createHash('sha256').update(fingerprint).update('\0').update(source).digest('hex');
}

/** Looks a block up in memory, then on disk. */
export function readCache(key: string): CacheEntry | undefined {
  return cache.get(key);
}

/** Stores esbuild's output (memory and disk) or its rejection (memory only, so the error is reported at the block's turn). */
export function writeCache(key: string, entry: CacheEntry): void {
  cache.set(key, entry, { memoryOnly: 'error' in entry });
}
