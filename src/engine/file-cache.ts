import { existsSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { ensurePrivateDir, type PrivateDirUse } from './private-dir.js';
import { readFirstLineApart } from './read-text.js';

// Content-addressed caches on disk, one JSON file per entry, like the caches of
// tsx and babel-loader. An entry may carry a tail: more JSON on a line of its
// own after the entry (JSON text holds no raw newline), parsed only when asked
// for (a doc's position maps, needed only on an error, are most of its entry). Entries are written to a temporary name and renamed
// into place, so concurrent runs never read half an entry; an unreadable or
// malformed entry is a miss (and is overwritten by the next write); a folder we
// cannot write to only turns writing off. Recent entries are also kept in memory.

/**
 * The folder the caches live in, or undefined when caching to disk is off.
 * RUNBOOK_CACHE=off (or 0/false/no) turns it off; RUNBOOK_CACHE_DIR moves it;
 * default: $XDG_CACHE_HOME/runbook, else ~/.cache/runbook.
 */
export function cacheRoot(env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (/^(0|off|false|no)$/i.test(env.RUNBOOK_CACHE ?? '')) return undefined;
  return env.RUNBOOK_CACHE_DIR || join(env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'runbook');
}

/** How a cache folder is checked (see private-dir.ts), and the fix a refusal names. */
export const cacheDirUse: PrivateDirUse = { label: 'Cache folder', fix: 'set RUNBOOK_CACHE_DIR to a folder you own (or RUNBOOK_CACHE=off)' };

const checkedDirs = new Map<string, boolean>();

/**
 * `folder` under the cache root, made private (0700) or checked to be ours
 * and writable by nobody else; undefined when caching is off or the folder is
 * refused or cannot be made. Entries are only trusted from a folder that passes.
 * `forReading`: a missing folder is not made (there is nothing to read yet).
 */
export function privateCacheDir(folder: string, forReading = false, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const root = cacheRoot(env);
  if (root === undefined) return undefined;
  const dir = join(root, folder);
  if (forReading && !checkedDirs.has(dir) && !existsSync(dir)) return undefined;
  let usable = checkedDirs.get(dir);
  if (usable === undefined) {
    try {
      ensurePrivateDir(root, cacheDirUse);
      ensurePrivateDir(dir, cacheDirUse);
      usable = true;
    } catch {
      usable = false; // the CLI checks the root before a run and says why (src/cli/preflight.ts)
    }
    checkedDirs.set(dir, usable);
  }
  return usable ? dir : undefined;
}

/** Entries kept in memory by default: enough for a large run, bounded for a long-lived process. */
const defaultMemoryEntries = 5000;
const unwritable = new Set<string>();
let tempCounter = 0;

/** Reads an entry's tail (undefined when it has none or it does not parse); parses it once. */
export type CacheTail = () => unknown;

function lazyTail(text: string | undefined): CacheTail {
  let parsed: { value: unknown } | undefined;
  return () => {
    if (!parsed) {
      try {
        parsed = { value: text === undefined ? undefined : JSON.parse(text) };
      } catch {
        parsed = { value: undefined };
      }
      text = undefined;
    }
    return parsed.value;
  };
}

export class FileCache<T> {
  readonly #folder: string;
  readonly #fromJson: (value: unknown, tail: CacheTail) => T | undefined;
  readonly #memory = new Map<string, T>();
  readonly #memoryEntries: number;

  /**
   * `folder` is the cache's own folder under the root, versioned by its format;
   * `fromJson` checks an entry read back from disk (undefined: not usable),
   * given its tail to read when it needs it;
   * `memoryEntries` bounds what is also kept in memory (large entries: few).
   */
  constructor(folder: string, fromJson: (value: unknown, tail: CacheTail) => T | undefined, memoryEntries = defaultMemoryEntries) {
    this.#folder = folder;
    this.#fromJson = fromJson;
    this.#memoryEntries = memoryEntries;
  }

  /** Looks an entry up in memory, then on disk. */
  get(key: string): T | undefined {
    const known = this.#memory.get(key);
    if (known !== undefined) return known;
    const dir = privateCacheDir(this.#folder, true);
    if (dir === undefined) return undefined;
    let head: string;
    let tail: string | undefined;
    try {
      // Apart: the tail is kept until its entry goes, the head only until it is parsed.
      [head, tail] = readFirstLineApart(join(dir, `${key}.json`));
    } catch {
      return undefined;
    }
    let stored: T | undefined;
    try {
      const value = JSON.parse(head) as { key?: unknown; value?: unknown };
      stored = value.key === key ? this.#fromJson(value.value, lazyTail(tail)) : undefined;
    } catch {
      return undefined; // a torn or foreign file: a miss
    }
    if (stored !== undefined) this.#remember(key, stored);
    return stored;
  }

  /**
   * Stores an entry in memory, and on disk unless `memoryOnly`: as `stored`
   * when the value kept in memory is not plain data, and with its `tail`, if any.
   */
  set(key: string, value: T, { memoryOnly = false, stored = value as unknown, tail }: { memoryOnly?: boolean; stored?: unknown; tail?: unknown } = {}): void {
    this.#remember(key, value);
    const dir = privateCacheDir(this.#folder);
    if (memoryOnly || dir === undefined || unwritable.has(dir)) return;
    const temp = join(dir, `${key}.${process.pid}.${++tempCounter}.tmp`);
    try {
      const head = JSON.stringify({ key, value: stored });
      writeFileSync(temp, tail === undefined ? head : `${head}\n${JSON.stringify(tail)}`);
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

  #remember(key: string, value: T): void {
    if (this.#memory.size >= this.#memoryEntries) this.#memory.clear();
    this.#memory.set(key, value);
  }
}
