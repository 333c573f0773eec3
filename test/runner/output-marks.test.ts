import { describe, expect, it } from 'vitest';
import { markText, OutputDemux, type MarkKind } from '../../src/runner/output-marks.js';

const secret = 'f00dfeed';

function demux(chunks: string[]) {
  const events: (['text', number | undefined, string] | ['mark', MarkKind, number])[] = [];
  const splitter = new OutputDemux(secret, { text: (index, text) => events.push(['text', index, text]), mark: (kind, index) => events.push(['mark', kind, index]) });
  for (const chunk of chunks) splitter.push(Buffer.from(chunk));
  splitter.end();
  return events;
}

describe('OutputDemux', () => {
  it('gives text to the block whose mark came last, and tells every mark: start, end, and close', () => {
    const text = ['before', markText(secret, 'start', 0), 'block 0', markText(secret, 'end', 0), markText(secret, 'start', 0), 'late', markText(secret, 'close', 0), 'after'].join('');
    expect(demux([text])).toEqual([
      ['text', undefined, 'before'],
      ['mark', 'start', 0],
      ['text', 0, 'block 0'],
      ['mark', 'end', 0],
      ['mark', 'start', 0],
      ['text', 0, 'late'],
      ['mark', 'close', 0],
      ['text', 0, 'after'],
    ]);
  });

  it('finds a close mark split across two chunks', () => {
    const mark = markText(secret, 'close', 12);
    expect(demux(['x', mark.slice(0, 5), mark.slice(5), 'y'])).toEqual([
      ['text', undefined, 'x'],
      ['mark', 'close', 12],
      ['text', 12, 'y'],
    ]);
  });

  it('leaves a mark made with another secret in the text', () => {
    const foreign = markText('0badc0de', 'close', 1);
    expect(demux([`a${foreign}b`])).toEqual([['text', undefined, `a${foreign}b`]]);
  });
});
