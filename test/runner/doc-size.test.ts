import { describe, expect, it } from 'vitest';
import { docSizeSchema, formatSize, parseSize } from '../../src/runner/doc-size.js';

describe('doc sizes', () => {
  it.each([
    ['1048576', 1048576],
    ['10MB', 10 * 1024 * 1024],
    ['10 mb', 10 * 1024 * 1024],
    ['512kB', 512 * 1024],
    ['1.5k', 1536],
    ['1GB', 1024 ** 3],
    ['12b', 12],
    ['ten', undefined],
    ['-5', undefined],
    ['5 TB', undefined],
  ])('parses %j', (text, bytes) => {
    expect(parseSize(text)).toBe(bytes);
  });

  it('accepts limits from 1 byte to 512MB', () => {
    expect(docSizeSchema().parse('512MB')).toBe(512 * 1024 * 1024);
    expect(docSizeSchema().parse(1)).toBe(1);
    for (const bad of ['513MB', 0, '1GB', 1.5]) expect(docSizeSchema().safeParse(bad).success).toBe(false);
  });

  it('formats sizes for messages', () => {
    expect([formatSize(1), formatSize(30), formatSize(1536), formatSize(10 * 1024 * 1024)]).toEqual(['1 byte', '30 bytes', '1.5 kB', '10 MB']);
  });
});
