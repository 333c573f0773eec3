import { describe, expect, it } from 'vitest';
import { encodeJsonLine, JsonLinesDecoder, DEFAULT_MAX_FRAME_BYTES, type MalformedFrame, type OversizedFrame } from '../../../src/features/ipc/json-lines.js';

function decoder(maxFrameBytes?: number) {
  const messages: unknown[] = [];
  const malformed: MalformedFrame[] = [];
  const oversized: OversizedFrame[] = [];
  const instance = new JsonLinesDecoder(
    { message: (value) => messages.push(value), malformed: (frame) => malformed.push(frame), oversized: (frame) => oversized.push(frame) },
    { maxFrameBytes },
  );
  return { instance, messages, malformed, oversized };
}

describe('json-lines framing', () => {
  it('encodes one value per line and refuses values JSON cannot carry', () => {
    expect(encodeJsonLine({ a: 1 })).toBe('{"a":1}\n');
    expect(() => encodeJsonLine(undefined)).toThrow('Cannot send undefined as a JSON line: only JSON-serialisable values can be sent.');
  });

  it('defaults the frame limit to 1 MiB', () => {
    expect(DEFAULT_MAX_FRAME_BYTES).toBe(1048576);
    expect(decoder().instance.maxFrameBytes).toBe(1048576);
  });

  it.each([
    ['one frame per chunk', ['{"n":1}\n', '{"n":2}\n']],
    ['a frame split over chunks', ['{"n"', ':1}\n{"n":', '2}', '\n']],
    ['many frames in one chunk', ['{"n":1}\n{"n":2}\n']],
    ['one byte at a time', [...'{"n":1}\n{"n":2}\n']],
    ['CRLF endings and blank lines', ['{"n":1}\r\n\r\n\n{"n":2}\r\n']],
  ])('%s', (_name, chunks) => {
    const { instance, messages } = decoder();
    for (const chunk of chunks) instance.push(chunk);
    expect(messages).toEqual([{ n: 1 }, { n: 2 }]);
    expect(instance.bufferedBytes).toBe(0);
  });

  it('keeps a multi-byte character split between chunks intact', () => {
    const bytes = Buffer.from('{"word":"héllo ✓"}\n');
    const { instance, messages } = decoder();
    const cut = bytes.indexOf(0xe2) + 1; // inside the 3-byte ✓
    instance.push(bytes.subarray(0, cut));
    instance.push(bytes.subarray(cut));
    expect(messages).toEqual([{ word: 'héllo ✓' }]);
  });

  it('reports a malformed line and goes on decoding', () => {
    const { instance, messages, malformed } = decoder();
    instance.push('{"n":1}\n{not json}\n{"n":2}\n');
    expect(messages).toEqual([{ n: 1 }, { n: 2 }]);
    expect(malformed).toHaveLength(1);
    expect(malformed[0].preview).toBe('{not json}');
    expect(malformed[0].reason).toMatch(/JSON/);
    expect(instance.stopped).toBe(false);
  });

  it('stops at a complete line over the limit and ignores what follows', () => {
    const { instance, messages, oversized } = decoder(16);
    instance.push(`{"n":1}\n{"pad":"${'x'.repeat(20)}"}\n{"n":2}\n`);
    expect(messages).toEqual([{ n: 1 }]);
    expect(oversized).toEqual([{ bytes: 30, limit: 16 }]);
    expect(instance.stopped).toBe(true);
    instance.push('{"n":3}\n');
    expect(messages).toEqual([{ n: 1 }]);
  });

  it('stops as soon as an unfinished frame outgrows the limit, without buffering it', () => {
    const { instance, oversized } = decoder(16);
    instance.push('{"pad":"xxxx');
    expect(oversized).toEqual([]);
    instance.push('xxxxxxxxxx');
    expect(oversized).toEqual([{ bytes: 22, limit: 16 }]);
    expect(instance.bufferedBytes).toBe(0);
  });

  it('accepts a frame of exactly the limit', () => {
    const { instance, messages, oversized } = decoder(7);
    instance.push('{"n":1}\n');
    expect(messages).toEqual([{ n: 1 }]);
    expect(oversized).toEqual([]);
  });
});
