import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { defaultFolderCapMb, folderCapBytes, pruneCaches, pruneCachesDaily } from '../../src/engine/cache-prune.js';

// Real files in a temporary cache root, with modification times set as a run
// long ago would have left them.

const hour = 60 * 60 * 1000;
const day = 24 * hour;
const now = Date.parse('2026-12-01T12:00:00Z');
const roots: string[] = [];

afterEach(() => {
  for (const root of roots.splice(0)) rmSync(root, { recursive: true, force: true });
});

function makeRoot(): string {
  const root = mkdtempSync(join(tmpdir(), 'runbook-prune-'));
  roots.push(root);
  return root;
}

/** Writes `path` (folders made) with `bytes` bytes, last modified `age` ms before `now`. */
function put(path: string, bytes: number, age: number): void {
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, 'x'.repeat(bytes));
  setAge(path, age);
}

function setAge(path: string, age: number): void {
  const when = (now - age) / 1000;
  utimesSync(path, when, when);
}

const key = (n: number) => n.toString(16).padStart(64, '0');

describe('pruneCaches', () => {
  it("removes an older format's folder unused for a week, and keeps one another runbook still writes", async () => {
    const root = makeRoot();
    put(join(root, 'docs-v1', `${key(1)}.json`), 10, 30 * day);
    put(join(root, 'typecheck-v1', `${key(2)}.json`), 10, day);
    put(join(root, 'docs-v2', `${key(3)}.json`), 10, 0);
    put(join(root, 'typecheck-v2', `${key(4)}.json`), 10, 0);
    setAge(join(root, 'docs-v1'), 30 * day);
    setAge(join(root, 'typecheck-v1'), day);
    const report = await pruneCaches(root, { capBytes: 1024, now });
    expect(report.removedFolders).toEqual(['docs-v1']);
    expect(readdirSync(root).sort()).toEqual(['docs-v2', 'typecheck-v1', 'typecheck-v2']);
  });

  it('cuts a folder over its cap to three quarters of it, the entries written longest ago first', async () => {
    const root = makeRoot();
    // Ten 1 KiB entries, entry 0 the oldest.
    for (let n = 0; n < 10; n++) put(join(root, 'transpile-v2', `${key(n)}.json`), 1024, (10 - n) * hour);
    const report = await pruneCaches(root, { capBytes: 6 * 1024, now });
    // 10 KiB over a 6 KiB cap: down to 4.5 KiB or less, so the six oldest go.
    expect(report).toEqual({ removedFolders: [], removedEntries: 6, freedBytes: 6 * 1024 });
    expect(readdirSync(join(root, 'transpile-v2')).sort()).toEqual([6, 7, 8, 9].map((n) => `${key(n)}.json`));
  });

  it('leaves a folder under its cap as it is, but for temporary files a writer left an hour ago or more', async () => {
    const root = makeRoot();
    put(join(root, 'code-cache', '0123abcd-4567ef89.bin'), 100, 60 * day);
    put(join(root, 'code-cache', '0123abcd-4567ef89.bin.4242.tmp'), 100, 2 * hour);
    put(join(root, 'docs-v2', `${key(1)}.4242.7.tmp`), 100, 2 * hour);
    put(join(root, 'docs-v2', `${key(2)}.4243.1.tmp`), 100, 60 * 1000);
    const report = await pruneCaches(root, { capBytes: 1024, now });
    expect(report.removedEntries).toBe(2);
    expect(readdirSync(join(root, 'code-cache'))).toEqual(['0123abcd-4567ef89.bin']);
    expect(readdirSync(join(root, 'docs-v2'))).toEqual([`${key(2)}.4243.1.tmp`]);
  });

  it("keeps an older format's folder that holds anything but cache entries: it is not runbook's", async () => {
    const root = makeRoot();
    put(join(root, 'docs-v1', `${key(1)}.json`), 10, 30 * day);
    put(join(root, 'docs-v1', 'chapter-1.md'), 10, 30 * day);
    put(join(root, 'docs-v2', `${key(2)}.json`), 10, 0);
    setAge(join(root, 'docs-v1'), 30 * day);
    const report = await pruneCaches(root, { capBytes: 1024, now });
    expect(report.removedFolders).toEqual([]);
    expect(readdirSync(join(root, 'docs-v1')).sort()).toEqual([`${key(1)}.json`, 'chapter-1.md']);
  });

  it("touches nothing that is not runbook's: other folders, and other files in its own", async () => {
    const root = makeRoot();
    put(join(root, 'other-app-v1', `${key(1)}.json`), 4096, 60 * day);
    put(join(root, 'other-app-v2', `${key(2)}.json`), 10, 0);
    put(join(root, 'docs-v2', 'notes.txt'), 4096, 60 * day);
    put(join(root, 'docs-v2', `${key(3)}.json`), 4096, 60 * day);
    const report = await pruneCaches(root, { capBytes: 1024, now });
    expect(report.removedEntries).toBe(1);
    expect(readdirSync(root).sort()).toEqual(['docs-v2', 'other-app-v1', 'other-app-v2']);
    expect(readdirSync(join(root, 'docs-v2'))).toEqual(['notes.txt']);
  });

  it('ends where it is once its signal is aborted', async () => {
    const root = makeRoot();
    for (let n = 0; n < 4; n++) put(join(root, 'docs-v2', `${key(n)}.json`), 1024, n * hour);
    const report = await pruneCaches(root, { capBytes: 1024, now, signal: AbortSignal.abort() });
    expect(report.removedEntries).toBe(0);
    expect(readdirSync(join(root, 'docs-v2'))).toHaveLength(4);
  });
});

describe('pruneCachesDaily', () => {
  it('prunes at most once a day: the stamp says when it last did', async () => {
    const root = makeRoot();
    const env = { RUNBOOK_CACHE_DIR: root, RUNBOOK_CACHE_MAX_MB: String(2 / 1024) }; // a 2 KiB cap
    for (let n = 0; n < 4; n++) put(join(root, 'docs-v2', `${key(n)}.json`), 1024, (4 - n) * hour);
    expect((await pruneCachesDaily(undefined, env, now))?.removedEntries).toBe(3);
    expect(existsSync(join(root, 'pruned'))).toBe(true);
    for (let n = 4; n < 8; n++) put(join(root, 'docs-v2', `${key(n)}.json`), 1024, 0);
    expect(await pruneCachesDaily(undefined, env, now + hour)).toBeUndefined();
    expect(readdirSync(join(root, 'docs-v2'))).toHaveLength(5);
    expect((await pruneCachesDaily(undefined, env, now + day))?.removedEntries).toBe(4);
  });

  it('does nothing with caching off', async () => {
    const root = makeRoot();
    put(join(root, 'docs-v2', `${key(1)}.json`), 4096, day);
    expect(await pruneCachesDaily(undefined, { RUNBOOK_CACHE_DIR: root, RUNBOOK_CACHE: 'off', RUNBOOK_CACHE_MAX_MB: '0.001' }, now)).toBeUndefined();
    expect(readdirSync(root)).toEqual(['docs-v2']);
  });
});

describe('folderCapBytes', () => {
  it('is RUNBOOK_CACHE_MAX_MB in bytes, else the default', () => {
    expect(folderCapBytes({})).toBe(defaultFolderCapMb * 1024 * 1024);
    expect(folderCapBytes({ RUNBOOK_CACHE_MAX_MB: '64' })).toBe(64 * 1024 * 1024);
  });

  it.each(['abc', '0', '-5', 'Infinity'])('refuses %j, saying what to give', (value) => {
    expect(() => folderCapBytes({ RUNBOOK_CACHE_MAX_MB: value })).toThrow(`RUNBOOK_CACHE_MAX_MB is ${JSON.stringify(value)}; give a number of megabytes above 0`);
  });
});
