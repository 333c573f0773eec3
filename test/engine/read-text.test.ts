import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readTextFile } from '../../src/engine/read-text.js';

describe('readTextFile', () => {
  const dir = mkdtempSync(join(tmpdir(), 'runbook-read-text-'));
  const written = (name: string, text: string) => {
    const path = join(dir, name);
    writeFileSync(path, text, 'utf8');
    return path;
  };

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
