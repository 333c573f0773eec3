import { chmodSync, chownSync, lchownSync, mkdirSync, mkdtempSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FileCache, privateCacheDir } from '../../src/engine/file-cache.js';
import { ensurePrivateDir } from '../../src/engine/private-dir.js';

const use = { label: 'Cache folder', fix: 'set RUNBOOK_CACHE_DIR to a folder you own' };
const socketUse = { ...use, label: 'Socket folder', strict: true };
// Another user: these tests run as root, which may hand files to anyone.
const nobody = 65534;
const asRoot = process.getuid?.() === 0;

let base: string;
beforeEach(() => {
  base = mkdtempSync(join(tmpdir(), 'runbook-private-'));
});
afterEach(() => rmSync(base, { recursive: true, force: true }));

const modeOf = (path: string) => (statSync(path).mode & 0o777).toString(8);

describe('ensurePrivateDir', () => {
  it('makes a missing folder 0700, with its missing parents', () => {
    const dir = join(base, 'a', 'b', 'runbook');
    ensurePrivateDir(dir, use);
    expect(modeOf(dir)).toBe('700');
    ensurePrivateDir(dir, use); // and accepts it the next time
  });

  it('refuses a folder other users can write', () => {
    const dir = join(base, 'open');
    mkdirSync(dir);
    chmodSync(dir, 0o777);
    expect(() => ensurePrivateDir(dir, use)).toThrow(
      `Cache folder ${dir} can be written by other users (mode 0777). Run chmod 700 ${dir}, or set RUNBOOK_CACHE_DIR to a folder you own.`,
    );
    expect(modeOf(dir)).toBe('777'); // never chmod-ed behind the user's back
  });

  it('lets others read a cache folder, but not a socket folder', () => {
    const dir = join(base, 'readable');
    mkdirSync(dir);
    chmodSync(dir, 0o755);
    ensurePrivateDir(dir, use);
    expect(() => ensurePrivateDir(dir, socketUse)).toThrow(
      `Socket folder ${dir} is open to other users (mode 0755). Run chmod 700 ${dir}, or set RUNBOOK_CACHE_DIR to a folder you own.`,
    );
  });

  it('refuses something that is not a folder', () => {
    const file = join(base, 'file');
    writeFileSync(file, '');
    expect(() => ensurePrivateDir(file, use)).toThrow(`Cache folder ${file} is not a directory. Remove it, or set RUNBOOK_CACHE_DIR to a folder you own.`);
  });

  it('follows a symlink of its own to a private folder', () => {
    const target = join(base, 'target');
    mkdirSync(target, { mode: 0o700 });
    symlinkSync(target, join(base, 'link'));
    ensurePrivateDir(join(base, 'link'), use);
  });

  it.runIf(asRoot)('refuses a folder another user owns', () => {
    const dir = join(base, 'theirs');
    mkdirSync(dir, { mode: 0o700 });
    chownSync(dir, nobody, nobody);
    expect(() => ensurePrivateDir(dir, use)).toThrow(
      `Cache folder ${dir} belongs to uid ${nobody}, not to you (uid 0). Use a folder you own, or set RUNBOOK_CACHE_DIR to a folder you own.`,
    );
  });

  it.runIf(asRoot)('never follows a symlink another user planted, even to a folder of ours', () => {
    const ours = join(base, 'ours');
    mkdirSync(ours, { mode: 0o700 });
    const planted = join(base, 'runbook-0');
    symlinkSync(ours, planted);
    lchownSync(planted, nobody, nobody);
    expect(() => ensurePrivateDir(planted, socketUse)).toThrow(
      `Socket folder ${planted} is a symlink owned by uid ${nobody}, not by you (uid 0); runbook does not follow it. Remove the symlink, or set RUNBOOK_CACHE_DIR to a folder you own.`,
    );
  });
});

describe('cache folders', () => {
  const saved = process.env.RUNBOOK_CACHE_DIR;
  afterEach(() => {
    if (saved === undefined) delete process.env.RUNBOOK_CACHE_DIR;
    else process.env.RUNBOOK_CACHE_DIR = saved;
  });

  it('are made private, and entries are read back from them', () => {
    process.env.RUNBOOK_CACHE_DIR = join(base, 'cache');
    const cache = new FileCache<string>('good-v1', (value) => (typeof value === 'string' ? value : undefined));
    cache.set('k', 'stored');
    expect(modeOf(join(base, 'cache'))).toBe('700');
    expect(modeOf(join(base, 'cache', 'good-v1'))).toBe('700');
    expect(new FileCache<string>('good-v1', (value) => value as string).get('k')).toBe('stored');
  });

  it('are not trusted when another user could have written an entry', () => {
    const root = join(base, 'shared');
    mkdirSync(join(root, 'planted-v1'), { recursive: true });
    chmodSync(root, 0o777);
    writeFileSync(join(root, 'planted-v1', 'k.json'), JSON.stringify({ key: 'k', value: 'code someone planted' }));
    process.env.RUNBOOK_CACHE_DIR = root;
    expect(privateCacheDir('planted-v1')).toBeUndefined();
    expect(new FileCache<string>('planted-v1', (value) => value as string).get('k')).toBeUndefined();
  });
});
