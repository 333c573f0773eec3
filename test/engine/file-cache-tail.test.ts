import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FileCache, type CacheTail } from '../../src/engine/file-cache.js';

// An entry's tail is JSON on a line after the entry, read only when asked for:
// a doc's position maps ride there (see prepare-doc.ts).

interface Entry {
  n: number;
  tail: CacheTail;
}

describe('FileCache entry tails', () => {
  let root: string;
  const saved = process.env.RUNBOOK_CACHE_DIR;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'runbook-file-cache-tail-'));
    process.env.RUNBOOK_CACHE_DIR = root;
  });
  afterEach(() => {
    if (saved === undefined) delete process.env.RUNBOOK_CACHE_DIR;
    else process.env.RUNBOOK_CACHE_DIR = saved;
    rmSync(root, { recursive: true, force: true });
  });

  const fresh = () => new FileCache<Entry>('tail-test', (value, tail) => ({ n: (value as { n: number }).n, tail }));
  const file = () => join(root, 'tail-test', 'k.json');

  it('writes `stored` as the entry and the tail on a line of its own; a new reader gets both', () => {
    const memory: Entry = { n: 1, tail: () => 'in memory' };
    fresh().set('k', memory, { stored: { n: 1 }, tail: { maps: ['a\nb', 2] } });
    const lines = readFileSync(file(), 'utf8').split('\n');
    expect(lines).toHaveLength(2);
    expect(JSON.parse(lines[0]!)).toEqual({ key: 'k', value: { n: 1 } });
    const read = fresh().get('k')!;
    expect(read.n).toBe(1);
    expect(read.tail()).toEqual({ maps: ['a\nb', 2] });
  });

  it('reads the entry though its tail is damaged: the tail is then undefined, and only asking finds out', () => {
    fresh().set('k', { n: 2, tail: () => undefined }, { stored: { n: 2 }, tail: [1, 2, 3] });
    writeFileSync(file(), `${readFileSync(file(), 'utf8').split('\n')[0]}\n[1, 2,`);
    const read = fresh().get('k')!;
    expect(read.n).toBe(2);
    expect(read.tail()).toBeUndefined();
  });

  it('gives an entry written without a tail an undefined one', () => {
    fresh().set('k', { n: 3, tail: () => undefined }, { stored: { n: 3 } });
    expect(readFileSync(file(), 'utf8')).not.toContain('\n');
    expect(fresh().get('k')!.tail()).toBeUndefined();
  });
});
