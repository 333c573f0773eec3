import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createContainer } from '../../src/features/create-container.js';
import type { Fs } from '../../src/features/fs.js';

let dir: string;
let fs: Fs;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'runbook-fs-'));
  fs = createContainer({ cwd: dir }).feature<Fs>('fs');
});

afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('fs', () => {
  it('resolves relative paths against container.settings.cwd', () => {
    expect(fs.resolve('a/b.txt')).toBe(join(dir, 'a/b.txt'));
  });

  it('writes (creating folders) and reads text, async and sync', async () => {
    expect(await fs.writeFile('deep/x.txt', 'hello')).toBe(join(dir, 'deep/x.txt'));
    expect(await fs.readFile('deep/x.txt')).toBe('hello');
    fs.writeFileSync('deep/er/y.txt', 'sync');
    expect(fs.readFileSync('deep/er/y.txt')).toBe('sync');
    await fs.appendFile('deep/x.txt', ' world');
    expect(fs.readFileSync('deep/x.txt')).toBe('hello world');
  });

  it('round-trips JSON and names the file when it is invalid', async () => {
    await fs.writeJson('data/v.json', { a: [1, 2] });
    expect(fs.readFileSync('data/v.json')).toBe('{\n  "a": [\n    1,\n    2\n  ]\n}\n');
    expect(await fs.readJson('data/v.json')).toEqual({ a: [1, 2] });
    fs.writeJsonSync('data/w.json', 1, 0);
    expect(fs.readJsonSync('data/w.json')).toBe(1);
    fs.writeFileSync('bad.json', '{ nope');
    await expect(fs.readJson('bad.json')).rejects.toThrow(new RegExp(`^${join(dir, 'bad.json').replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')} is not valid JSON: .+\\. Fix the file, or read it as text with fs\\.readFile\\(\\)\\.$`));
  });

  it('checks existence, lists, stats and removes', async () => {
    expect(await fs.exists('nope')).toBe(false);
    expect(fs.existsSync('nope')).toBe(false);
    await fs.mkdirp('a/b/c');
    fs.mkdirpSync('a/b/c');
    fs.writeFileSync('a/z.txt', '');
    fs.writeFileSync('a/m.txt', '');
    expect(await fs.exists('a/b/c')).toBe(true);
    expect(await fs.readdir('a')).toEqual(['b', 'm.txt', 'z.txt']);
    expect(fs.readdirSync('a')).toEqual(['b', 'm.txt', 'z.txt']);
    expect((await fs.stat('a/b')).isDirectory()).toBe(true);
    expect(fs.statSync('a/z.txt').size).toBe(0);
    await fs.rm('a/b');
    fs.rmSync('a/z.txt');
    await fs.rm('never/there');
    expect(fs.readdirSync('a')).toEqual(['m.txt']);
  });

  it('makes temporary folders', async () => {
    const temp = await fs.mkdtemp('runbook-test-');
    expect(temp.startsWith(join(tmpdir(), 'runbook-test-'))).toBe(true);
    rmSync(temp, { recursive: true });
  });
});
