import { afterEach, describe, expect, it, vi } from 'vitest';
import type { DocStart } from '../../../src/runner/events.js';
import { PrettyReporter } from '../../../src/runner/reporters/pretty.js';
import { clearLine, ProgressLine } from '../../../src/runner/reporters/progress-line.js';
import type { DocResult } from '../../../src/runner/results.js';
import { summarize } from '../../../src/runner/results.js';

interface FakeStream {
  stream: NodeJS.WriteStream;
  chunks: string[];
  write: (text: string) => boolean;
}

/** A stand-in for a terminal stream that records every write. */
function fakeStream(isTTY: boolean, columns = 80): FakeStream {
  const chunks: string[] = [];
  const write = (chunk: string | Uint8Array) => chunks.push(String(chunk)) > 0;
  const stream = { isTTY, columns, write } as unknown as NodeJS.WriteStream;
  return { stream, chunks, write };
}

/** Replays writes the way a terminal would: \r returns, ESC[2K erases the line, \n moves down. */
function screen(chunks: string[]): string[] {
  const rows = [''];
  let col = 0;
  const text = chunks.join('');
  for (let i = 0; i < text.length; i++) {
    if (text.startsWith('\x1b[2K', i)) {
      rows[rows.length - 1] = '';
      i += 3;
    } else if (text[i] === '\r') col = 0;
    else if (text[i] === '\n') {
      rows.push('');
      col = 0;
    } else {
      const row = rows[rows.length - 1];
      rows[rows.length - 1] = row.slice(0, col).padEnd(col) + text[i] + row.slice(col + 1);
      col++;
    }
  }
  return rows;
}

const start = (path: string): DocStart => ({ path, title: path, text: '', blocks: [] });
const end = (path: string, status: DocResult['status'] = 'passed'): DocResult => ({ path, title: path, tags: [], status, durationMs: 5, blocks: [], cleanedUp: [], stamped: false, warnings: [] });
const tick = () => new Promise<void>((resolve) => queueMicrotask(resolve));

describe('ProgressLine in a TTY', () => {
  it('draws done/total, failures and running docs in place, redrawing with \\r ESC[2K', () => {
    const out = fakeStream(true);
    const progress = new ProgressLine(out.stream, { env: {}, shared: [] });
    progress.onRunStart(['a.md', 'b.md', 'c.md']);
    progress.onDocStart(start('a.md'));
    progress.onDocStart(start('b.md'));
    progress.onDocEnd(end('a.md', 'failed'));
    expect(out.chunks).toEqual([
      `${clearLine}0/3 docs`,
      `${clearLine}0/3 docs · running: a.md`,
      `${clearLine}0/3 docs · running: a.md, b.md`,
      `${clearLine}1/3 docs · 1 failed · running: b.md`,
    ]);
    expect(clearLine).toBe('\r\x1b[2K');
  });

  it('clears itself before any other line is written, on stdout or a shared stderr, and redraws after it', async () => {
    const out = fakeStream(true);
    const err = fakeStream(true);
    const progress = new ProgressLine(out.stream, { env: {}, shared: [err.stream] });
    progress.onRunStart(['a.md', 'b.md']);
    progress.onDocStart(start('a.md'));
    out.chunks.length = 0;
    out.stream.write('first line\n');
    out.stream.write('second line\n');
    expect(out.chunks).toEqual([clearLine, 'first line\n', 'second line\n']);
    await tick();
    expect(out.chunks.at(-1)).toBe(`${clearLine}0/2 docs · running: a.md`);

    out.chunks.length = 0;
    err.stream.write('a warning\n');
    expect(out.chunks).toEqual([clearLine]);
    expect(err.chunks).toEqual(['a warning\n']);
    await tick();
    expect(out.chunks).toEqual([clearLine, `${clearLine}0/2 docs · running: a.md`]);
  });

  it('does not draw over a line that is still being written', async () => {
    const out = fakeStream(true);
    const progress = new ProgressLine(out.stream, { env: {}, shared: [] });
    progress.onRunStart(['a.md', 'b.md']);
    out.chunks.length = 0;
    out.stream.write('partial ');
    await tick();
    progress.onDocStart(start('a.md'));
    expect(out.chunks).toEqual([clearLine, 'partial ']);
    out.stream.write('done\n');
    await tick();
    expect(out.chunks).toEqual([clearLine, 'partial ', 'done\n', `${clearLine}0/2 docs · running: a.md`]);
  });

  it('clears the line at the end of the run and gives the streams their own write back', () => {
    const out = fakeStream(true);
    const err = fakeStream(true);
    const progress = new ProgressLine(out.stream, { env: {}, shared: [err.stream] });
    progress.onRunStart(['a.md', 'b.md']);
    expect(out.stream.write).not.toBe(out.write);
    progress.onDocEnd(end('a.md'));
    progress.onDocEnd(end('b.md'));
    progress.onRunEnd();
    expect(out.chunks.at(-1)).toBe(clearLine);
    expect(out.stream.write).toBe(out.write);
    expect(err.stream.write).toBe(err.write);
    expect(screen(out.chunks)).toEqual(['']);
  });

  it('cuts the line to the terminal width', () => {
    const out = fakeStream(true, 40);
    const progress = new ProgressLine(out.stream, { env: {}, shared: [] });
    progress.onRunStart(['docs/a-long-name.md', 'docs/another-long-name.md']);
    progress.onDocStart(start('docs/a-long-name.md'));
    progress.onDocStart(start('docs/another-long-name.md'));
    expect(progress.text()).toBe('0/2 docs · running: docs/a-long-name.m…');
    expect(progress.text()).toHaveLength(39);
  });
});

describe('ProgressLine stays silent', () => {
  it.each([
    ['stdout is not a TTY', false, {}, ['a.md', 'b.md']],
    ['CI=true', true, { CI: 'true' }, ['a.md', 'b.md']],
    ['only one doc runs', true, {}, ['a.md']],
  ])('when %s', async (_name, isTTY, env, docs) => {
    const out = fakeStream(isTTY);
    const progress = new ProgressLine(out.stream, { env, shared: [] });
    progress.onRunStart(docs);
    for (const doc of docs) progress.onDocStart(start(doc));
    out.stream.write('a line\n');
    await tick();
    for (const doc of docs) progress.onDocEnd(end(doc, 'failed'));
    progress.onRunEnd();
    expect(out.chunks).toEqual(['a line\n']);
    expect(out.stream.write).toBe(out.write);
  });

  it('draws when CI is set to false', () => {
    const out = fakeStream(true);
    new ProgressLine(out.stream, { env: { CI: 'false' }, shared: [] }).onRunStart(['a.md', 'b.md']);
    expect(out.chunks).toEqual([`${clearLine}0/2 docs`]);
  });
});

describe('pretty reporter with the progress line', () => {
  afterEach(() => vi.unstubAllEnvs());

  it('leaves only its own lines on the screen: each doc line replaces the status line, which follows below', async () => {
    vi.stubEnv('NO_COLOR', '1');
    const out = fakeStream(true);
    const pretty = new PrettyReporter(out.stream, { env: {}, shared: [] });
    const docs = [end('a.md'), end('b.md', 'skipped'), end('c.md')];
    pretty.onRunStart(docs.map((d) => d.path));
    pretty.onDocStart(start('a.md'));
    pretty.onDocStart(start('b.md'));
    pretty.onDocEnd(docs[0]);
    await tick();
    expect(screen(out.chunks)).toEqual([' PASS  a.md 0 blocks, 5 ms', '1/3 docs · running: b.md']);
    pretty.onDocStart(start('c.md'));
    pretty.onDocEnd({ ...docs[1], skipReason: 'no key' });
    pretty.onDocEnd(docs[2]);
    await tick();
    expect(screen(out.chunks)).toEqual([' PASS  a.md 0 blocks, 5 ms', ' SKIP  b.md no key', ' PASS  c.md 0 blocks, 5 ms', '3/3 docs']);
    pretty.onRunEnd(summarize([docs[0], { ...docs[1], skipReason: 'no key' }, docs[2]], 20));
    expect(screen(out.chunks)).toEqual([
      ' PASS  a.md 0 blocks, 5 ms',
      ' SKIP  b.md no key',
      ' PASS  c.md 0 blocks, 5 ms',
      '',
      'Skipped (1):',
      '  ○ b.md: no key',
      '',
      'docs: 2 passed, 0 failed, 1 skipped',
      'time: 20 ms',
      '',
    ]);
    // Every doc line was written right after a clear, never onto the status line.
    const text = out.chunks.join('');
    for (const line of [' PASS  a.md', ' SKIP  b.md', ' PASS  c.md']) expect(text).toContain(`${clearLine}${line}`);
  });

  it('writes no escape sequences when stdout is not a TTY', () => {
    vi.stubEnv('NO_COLOR', '1');
    const out = fakeStream(false);
    const pretty = new PrettyReporter(out.stream, { env: {}, shared: [] });
    pretty.onRunStart(['a.md', 'b.md']);
    pretty.onDocStart(start('a.md'));
    pretty.onDocEnd(end('a.md'));
    pretty.onDocEnd(end('b.md'));
    pretty.onRunEnd(summarize([end('a.md'), end('b.md')], 9));
    expect(out.chunks.join('')).toBe(' PASS  a.md 0 blocks, 5 ms\n PASS  b.md 0 blocks, 5 ms\n\ndocs: 2 passed, 0 failed, 0 skipped\ntime: 9 ms\n');
  });
});
