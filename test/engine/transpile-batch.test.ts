import { transformSync } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { transformOptions } from '../../src/engine/esbuild-loader.js';
import { decodeMappings } from '../../src/engine/source-mappings.js';
import { isBatchable, transpileBatch, type BatchBlock } from '../../src/engine/transpile-batch.js';

const ts = (source: string): BatchBlock => ({ source, loader: 'ts' });

// What the block gives on its own: the batch must give exactly this.
function alone(source: string) {
  const result = transformSync(source, transformOptions('ts', 'alone.ts'));
  return { code: result.code, mappings: decodeMappings((JSON.parse(result.map) as { mappings: string }).mappings) };
}

const docLike = [
  'interface Item { name: string; qty: number }\nconst items: Item[] = [];\nlet total: number = 0;',
  "import { join } from 'node:path';\nimport type { Stats } from 'node:fs';\nconst where: string = join('a', 'b');",
  'class Box<T> {\n  constructor(private value: T) {}\n  get = (): T => this.value;\n}',
  'const answer = await Promise.resolve(41 as number) + 1;\nanswer satisfies number;',
  '',
  'type Only = { a: string };',
  '// just a comment',
  'const s = `multi\nline ${1 + 1}\ntemplate`;\nconst re = /a\\/b/g;',
  'function f<T extends object>(x: T): keyof T | undefined {\n  return Object.keys(x)[0] as keyof T;\n}\nexport { f };',
  'let xs = 1\n;[xs].map(String)',
  'label: for (const i of [1]) { if (i) break label }',
  'abstract class Shape { abstract area(): number }\nconst n = <number>(1 + 2);',
  'const { a, ...rest } = { a: 1, b: 2 } as const; // trailing comment',
  '/** jsdoc */\nexport default function greet(name = "w"): string { return `hi ${name}` }',
];

describe('transpileBatch', () => {
  it('gives every block the code and source map it gets on its own', async () => {
    const batch = docLike.filter((source) => isBatchable(ts(source)));
    expect(batch).toHaveLength(docLike.length - 1); // the class uses `this`
    const entries = await transpileBatch(batch.map(ts), 'doc.md#blocks');
    expect(entries).toBeDefined();
    entries!.forEach((entry, i) => {
      expect(entry, `block ${i}: ${batch[i]}`).toEqual(alone(batch[i]!));
    });
  });

  // esbuild renames a binding that shadows a top-level name; in one file, other blocks' names count.
  it('leaves out a block whose names the shared file changed, and only that one', async () => {
    const blocks = ['let x = 1;', 'function f(x: number) { return x }', 'const y: number = x;'];
    expect(alone(blocks[1]!).code).toBe('function f(x) {\n  return x;\n}\n');
    const entries = await transpileBatch(blocks.map(ts), 'doc.md#blocks');
    expect(entries).toEqual([alone(blocks[0]!), undefined, alone(blocks[2]!)]);
  });

  // Past 999 blocks too: esbuild prints the number 1000 as 1e3, so a marker must not carry its index as a number.
  it('handles a single block and many', async () => {
    expect(await transpileBatch([ts('const a: number = 1;')], 'one')).toEqual([alone('const a: number = 1;')]);
    const many = Array.from({ length: 1200 }, (_, i) => `const v${i}: string = "${i}";\nconsole.log(v${i});`);
    const entries = await transpileBatch(many.map(ts), 'many');
    expect(entries?.map((entry) => entry?.code)).toEqual(many.map((source) => alone(source).code));
  });

  // Each of these is refused, so the caller transpiles the blocks one by one.
  const refused: [what: string, blocks: string[]][] = [
    ['a syntax error in one block', ['const a = 1;', 'const b: = 2;', 'const c = 3;']],
    ['a template literal running across blocks', ['const s = `', '`;']],
    ['a function body running across blocks', ['function f() {', '}']],
    ['a comment running across blocks', ['/* open', 'close */ const a = 1;']],
    ['a declaration repeated in a later block', ['const a = 1;', 'const a = 2;']],
  ];
  it.each(refused)('refuses %s', async (_what, blocks) => {
    expect(await transpileBatch(blocks.map(ts), 'doc.md#blocks')).toBeUndefined();
  });
});

describe('isBatchable', () => {
  const cases: [source: string, loader: 'ts' | 'tsx', ok: boolean][] = [
    ['const a: number = 1;', 'ts', true],
    ['module.exports = 1;', 'ts', true],
    ['const enumerable = 1;', 'ts', true],
    // enums and namespaces merge and inline across a file
    ['enum Color { Red }', 'ts', false],
    ['const enum Color { Red }', 'ts', false],
    ['namespace N { export const a = 1 }', 'ts', false],
    ["declare module 'x' {}", 'ts', false],
    // top-level `this` turns into undefined once any block imports or exports
    ['this.x = 1', 'ts', false],
    // the automatic JSX runtime import goes at the top of the file
    ['const el = <div />;', 'tsx', false],
  ];
  it.each(cases)('%j (%s) → %s', (source, loader, ok) => {
    expect(isBatchable({ source, loader })).toBe(ok);
  });
});
