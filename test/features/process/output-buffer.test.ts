import { describe, expect, it } from 'vitest';
import { OutputBuffer } from '../../../src/features/process/output-buffer.js';

const numbered = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => `line ${from + i}`);

// Feeds `text` in chunks of `size` characters, so lines straddle chunk borders.
function feed(buffer: OutputBuffer, text: string, size: number): void {
  for (let at = 0; at < text.length; at += size) buffer.push(text.slice(at, at + size));
  buffer.end();
}

describe('OutputBuffer', () => {
  const fiveThousand = `${numbered(1, 5000).join('\n')}\n`;

  it.each([1, 7, 100, 4096, fiveThousand.length])('keeps the first 20 and last 50 of 5000 lines (chunks of %i)', (size) => {
    const buffer = new OutputBuffer();
    feed(buffer, fiveThousand, size);
    expect(buffer.head).toEqual(numbered(1, 20));
    expect(buffer.tail).toEqual(numbered(4951, 5000));
    expect(buffer.droppedLines).toBe(4930);
    expect(buffer.totalLines).toBe(5000);
    expect(buffer.totalBytes).toBe(Buffer.byteLength(fiveThousand));
  });

  it.each([
    // [text, head, tail, dropped]
    ['', [], [], 0],
    ['a', ['a'], [], 0],
    ['a\n', ['a'], [], 0],
    ['\n\n\n', ['', ''], [''], 0],
    ['a\nb\nc\nd\ne', ['a', 'b'], ['d', 'e'], 1],
    ['a\n\nc\n\ne\n', ['a', ''], ['', 'e'], 1],
  ] as const)('head 2 / tail 2 of %j', (text, head, tail, dropped) => {
    for (const size of [1, 2, 3, 100]) {
      const buffer = new OutputBuffer({ headLines: 2, tailLines: 2 });
      feed(buffer, text, size);
      expect({ head: buffer.head, tail: buffer.tail, dropped: buffer.droppedLines }).toEqual({ head, tail, dropped });
    }
  });

  it('uses configurable limits, including zero', () => {
    const buffer = new OutputBuffer({ headLines: 0, tailLines: 3 });
    feed(buffer, fiveThousand, 333);
    expect(buffer.head).toEqual([]);
    expect(buffer.tail).toEqual(numbered(4998, 5000));
    expect(buffer.droppedLines).toBe(4997);
    const headOnly = new OutputBuffer({ headLines: 2, tailLines: 0 });
    feed(headOnly, fiveThousand, 333);
    expect(headOnly.toJSON()).toEqual({ head: ['line 1', 'line 2'], tail: [], droppedLines: 4998, totalLines: 5000, totalBytes: fiveThousand.length });
  });

  it('shows the partial last line before end() and the omission in text()', () => {
    const buffer = new OutputBuffer({ headLines: 1, tailLines: 1 });
    buffer.push('one\ntwo\nthree\nfour\nfiv');
    expect(buffer.text()).toBe('one\n… 2 lines omitted …\nfour\nfiv');
    expect(buffer.totalLines).toBe(5);
    buffer.push('e\n');
    expect(buffer.text()).toBe('one\n… 3 lines omitted …\nfive');
  });

  it('cuts lines longer than maxLineLength, even when they never end', () => {
    const buffer = new OutputBuffer({ maxLineLength: 5 });
    buffer.push('abcdefghij\nxy');
    buffer.push('z'.repeat(100_000));
    buffer.push('z\nlast\n');
    expect(buffer.head).toEqual(['abcde…', 'xyzzz…', 'last']);
    expect(buffer.totalLines).toBe(3);
  });
});
