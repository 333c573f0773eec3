import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, symlinkSync, utimesSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { rewriteFile } from '../../src/markdown/atomic-write.js';

describe('rewriteFile', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'runbook-atomic-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const stamp = (bytes: Buffer) => `${bytes.toString('utf8')}stamped\n`;

  // A writer that opened the file before `rewriting` renames a new copy over it: the line it appends
  // on the next turn of the event loop lands in the replaced copy.
  async function withLateLine<T>(file: string, rewriting: () => Promise<T>): Promise<T> {
    const writer = openSync(file, 'a');
    const late = setImmediate(() => writeSync(writer, 'late\n'));
    try {
      return await rewriting();
    } finally {
      clearImmediate(late);
      closeSync(writer);
    }
  }

  it('a file changed a moment ago: the wait for writes under way gives the event loop back', async () => {
    const file = join(dir, 'recent.md');
    writeFileSync(file, '# Recent\n'); // mtime now: under the 2 s that count as "being written"
    let turns = 0;
    const counting = setInterval(() => turns++, 1);
    try {
      await rewriteFile(file, stamp);
    } finally {
      clearInterval(counting);
    }
    expect(readFileSync(file, 'utf8')).toBe('# Recent\nstamped\n');
    // The supervisor stamps one doc while other docs' executors send it messages: a wait that blocked
    // the thread (as Atomics.wait did) let no timer run at all.
    expect(turns).toBeGreaterThan(0);
  });

  it('a line appended to the replaced copy during that wait is carried over into the new one', async () => {
    const file = join(dir, 'appended.md');
    writeFileSync(file, '# Log\nfirst\n');
    const result = await withLateLine(file, () => rewriteFile(file, (bytes) => bytes.toString('utf8').replace('# Log', '# Log (stamped)')));
    expect(result).toEqual({ written: true });
    expect(readFileSync(file, 'utf8')).toBe('# Log (stamped)\nfirst\nlate\n');
  });

  it('two rewrites of one file at once, by two names, run one after the other and keep a late line', async () => {
    const file = join(dir, 'doc.md');
    symlinkSync('doc.md', join(dir, 'link.md'));
    writeFileSync(file, '# Doc\nfirst\n');
    // Each edits the top of the file, as a stamp edits the frontmatter. The late line lands in the copy
    // the first rewrite replaced, while it waits for such writes.
    const mark = (name: string) => (bytes: Buffer) => `${name}\n${bytes.toString('utf8')}`;
    const results = await withLateLine(file, () => Promise.all([rewriteFile(file, mark('one')), rewriteFile(join(dir, 'link.md'), mark('two'))]));
    expect(results).toEqual([{ written: true }, { written: true }]);
    expect(readFileSync(file, 'utf8')).toBe('two\none\n# Doc\nfirst\nlate\n');
  });

  it('a file not changed lately is rewritten at once, without waiting', async () => {
    const file = join(dir, 'old.md');
    writeFileSync(file, '# Old\n');
    const hourAgo = new Date(Date.now() - 3_600_000);
    utimesSync(file, hourAgo, hourAgo);
    let ranBefore = false;
    const immediate = setImmediate(() => (ranBefore = true));
    await rewriteFile(file, stamp);
    clearImmediate(immediate);
    expect(ranBefore).toBe(false);
    expect(readFileSync(file, 'utf8')).toBe('# Old\nstamped\n');
  });

  it('a file larger than one read keeps every byte in order', async () => {
    const file = join(dir, 'large.md');
    // 200 KiB of distinct lines: three reads and more through the one read buffer.
    const text = Array.from({ length: 20_000 }, (_, i) => `line ${String(i).padStart(5, '0')}`).join('\n') + '\n';
    writeFileSync(file, text);
    let seen = '';
    await rewriteFile(file, (bytes) => {
      seen = bytes.toString('utf8');
      return `${seen}end\n`;
    });
    expect(seen).toBe(text);
    expect(readFileSync(file, 'utf8')).toBe(`${text}end\n`);
  });
});
