import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readFirstLineApart, readTextFile } from '../../src/engine/read-text.js';

const dir = mkdtempSync(join(tmpdir(), 'runbook-read-text-'));
const written = (name: string, text: string) => {
  const path = join(dir, name);
  writeFileSync(path, text, 'utf8');
  return path;
};
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('readTextFile', () => {
  it('reads an all-ASCII file as its text', () => {
    const text = 'const a = 1;\n// plain ASCII, \\u00e9 escaped\n'.repeat(1000);
    expect(readTextFile(written('ascii.js', text))).toBe(text);
  });

  it('decodes a file with characters outside ASCII as UTF-8', () => {
    const text = '# Café ☕\n\n```ts\nconsole.log("naïve — 🚀")\n```\n';
    expect(readTextFile(written('unicode.md', text))).toBe(text);
  });

  it('keeps a byte-order mark, as reading with utf8 does', () => {
    expect(readTextFile(written('bom.md', '\ufeff# Title\n'))).toBe('\ufeff# Title\n');
  });

  it('throws for a missing file, as readFileSync does', () => {
    expect(() => readTextFile(join(dir, 'missing.md'))).toThrow(/ENOENT/);
  });
});

describe('readFirstLineApart', () => {
  it('gives the first line and the rest after it, without the newline between', () => {
    const path = written('lines.json', '{"key":1}\n[1,2]\nrest\nmore');
    expect(readFirstLineApart(path)).toEqual(['{"key":1}', '[1,2]\nrest\nmore']);
  });

  it('splits UTF-8 text at its first newline, characters on either side whole', () => {
    const path = written('parts-unicode.json', '"café ☕"\n"🚀 naïve"\n');
    expect(readFirstLineApart(path)).toEqual(['"café ☕"', '"🚀 naïve"\n']);
  });

  it('gives the first line alone when there is no newline, and an empty rest after a last one', () => {
    expect(readFirstLineApart(written('one.json', '{"key":1}'))).toEqual(['{"key":1}']);
    expect(readFirstLineApart(written('trailing.json', '{"key":1}\n'))).toEqual(['{"key":1}', '']);
  });
});
