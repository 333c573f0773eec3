import { SourceMap, type SourceMapPayload } from 'node:module';
import { transformSync } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { decodeMappings, findOriginal, isMappings, sliceMappings } from '../../src/engine/source-mappings.js';

describe('decodeMappings', () => {
  const cases: [encoded: string, expected: number[]][] = [
    ['', []],
    ['AAAA', [0, 0, 0, 0]],
    ['AAAA,EAAE', [0, 0, 0, 0, 0, 2, 0, 2]],
    ['AAAA;AACA', [0, 0, 0, 0, 1, 0, 1, 0]],
    [';;AAEA', [2, 0, 2, 0]],
    // Negative deltas and a five-field segment (the name index is dropped).
    ['AAAE,CAAAA,IAAFC', [0, 0, 0, 2, 0, 1, 0, 2, 0, 5, 0, 0]],
    // A one-field segment maps to no source.
    ['AAAA,C', [0, 0, 0, 0, 0, 1, -1, 0]],
    // Multi-digit values: 16 is "gB".
    ['gBAAgB', [0, 16, 0, 16]],
  ];
  it.each(cases)('%j', (encoded, expected) => {
    expect(decodeMappings(encoded)).toEqual(expected);
  });

  it('rejects characters outside base64', () => {
    expect(() => decodeMappings('AA!A')).toThrow('Invalid source map mappings near offset 2.');
  });
});

describe('findOriginal', () => {
  // Positions an error can have, checked against Node's own SourceMap on real esbuild output.
  const sources = [
    'const a: number = 1;\nconst b = (x: string): string => x.toUpperCase();\nclass C<T> { constructor(private v: T) {} get(): T { return this.v } }\n',
    'interface I { a: number }\n\n\nasync function f(i: I) {\n  await null;\n  return i.a\n}\nconst r = await f({ a: 1 } satisfies I) as number;',
    '',
    'type Only = string;',
  ];
  it.each(sources.map((source, i) => [i, source] as const))('matches SourceMap.findEntry on sample %i', (_i, source) => {
    const result = transformSync(source, { loader: 'ts', sourcemap: 'external', sourcefile: 'x.ts' });
    const reference = new SourceMap(JSON.parse(result.map) as SourceMapPayload);
    const mappings = decodeMappings((JSON.parse(result.map) as { mappings: string }).mappings);
    const lines = result.code.split('\n');
    for (let line = 0; line < lines.length + 1; line++) {
      for (let column = 0; column <= (lines[line]?.length ?? 0) + 1; column++) {
        const entry = reference.findEntry(line, column) as { originalLine?: number; originalColumn?: number };
        const expected = entry.originalLine === undefined ? undefined : { line: entry.originalLine, column: entry.originalColumn };
        expect(findOriginal(mappings, line, column), `at ${line}:${column}`).toEqual(expected);
      }
    }
  });

  it('is undefined before the first segment and for sourceless segments', () => {
    expect(findOriginal([1, 4, 0, 0], 0, 9)).toBeUndefined();
    expect(findOriginal([1, 4, 0, 0], 1, 3)).toBeUndefined();
    expect(findOriginal([1, 4, 0, 0, 1, 8, -1, 0], 1, 9)).toBeUndefined();
    expect(findOriginal([1, 4, 3, 2], 5, 0)).toEqual({ line: 3, column: 2 });
  });
});

describe('sliceMappings', () => {
  it('keeps the lines of one piece and moves both sides up', () => {
    const all = [0, 0, 0, 0, 2, 0, 3, 0, 2, 5, 3, 7, 3, 0, 4, 1, 4, 0, -1, 0, 5, 0, 9, 0];
    expect(sliceMappings(all, 2, 5, 3)).toEqual([0, 0, 0, 0, 0, 5, 0, 7, 1, 0, 1, 1, 2, 0, -1, 0]);
  });
});

describe('isMappings', () => {
  const cases: [value: unknown, ok: boolean][] = [
    [[], true],
    [[0, 1, 2, 3], true],
    [[0, 1, -1, 0], true],
    [[0, 1, 2], false],
    [[0, 1, 2, 3.5], false],
    [[0, 1, 2, '3'], false],
    ['0,1,2,3', false],
    [null, false],
  ];
  it.each(cases)('%j → %s', (value, ok) => {
    expect(isMappings(value)).toBe(ok);
  });
});
