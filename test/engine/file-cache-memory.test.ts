import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FileCache } from '../../src/engine/file-cache.js';

describe('FileCache in memory', () => {
  let root: string;
  const saved = process.env.RUNBOOK_CACHE_DIR;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'runbook-file-cache-'));
    process.env.RUNBOOK_CACHE_DIR = root;
  });
  afterEach(() => {
    if (saved === undefined) delete process.env.RUNBOOK_CACHE_DIR;
    else process.env.RUNBOOK_CACHE_DIR = saved;
    rmSync(root, { recursive: true, force: true });
  });

  // An executor runs thousands of docs once each: what it keeps in memory is bounded by the cache's own limit.
  it('keeps at most its memoryEntries in memory; the rest come from disk', () => {
    const cache = new FileCache<{ n: number }>('memory-test', (value) => value as { n: number }, 2);
    for (const key of ['a', 'b', 'c']) cache.set(key, { n: key.charCodeAt(0) });
    const folder = join(root, 'memory-test');
    expect(readdirSync(folder).sort()).toEqual(['a.json', 'b.json', 'c.json']);
    rmSync(folder, { recursive: true });
    expect(cache.get('c')).toEqual({ n: 99 }); // the newest, still in memory
    expect(cache.get('a')).toBeUndefined(); // let go from memory, and gone from disk
  });
});
