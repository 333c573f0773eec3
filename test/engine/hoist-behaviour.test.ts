import { types } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { compileParts } from '../../src/engine/compile.js';
import { hoistBlock } from '../../src/engine/hoist.js';
import { blockRunner, type BlockRunner, type Realm } from '../support/run-blocks.js';

const realms: Realm[] = ['vm context', 'main realm'];
let open: BlockRunner | undefined;
afterEach(() => {
  open?.close();
  open = undefined;
});

// Runs blocks in order as one doc and returns each block's value; the doc is closed after the test.
async function runBlocks(realm: Realm, blocks: string[], lang = 'js'): Promise<unknown[]> {
  open = blockRunner(realm, { m: { default: 'D', n: 'N' } });
  const values: unknown[] = [];
  for (const [index, source] of blocks.entries()) {
    const compiled = lang === 'js' ? hoistBlock(source, index) : compileParts({ index, lang, source, line: 1, indent: 0 }, 'doc.md');
    values.push((await open.run(compiled, index)).value);
  }
  return values;
}

// [name, blocks, value of the last block]
const behaviour: [name: string, blocks: string[], last: unknown][] = [
  ['const in sync, read in sync', ['const a = 1', 'a + 1'], 2],
  ['const in sync, read in async', ['const a = 1', 'await 0; a + 1'], 2],
  ['const in async, read in sync', ['const a = await 1', 'a + 1'], 2],
  ['const in async, read in async', ['const a = await 1', 'await 0; a + 1'], 2],
  ['let re-declared in sync', ['let a = 1', 'let a = 2', 'a'], 2],
  ['const re-declared in async', ['const a = 1', 'const a = await 2', 'a'], 2],
  ['const re-declared as let, then assigned', ['const a = 1', 'let a = 2', 'a = 3', 'a'], 3],
  ['const re-declared as var keeps no constancy', ['const a = 1', 'var a; a = 4', 'a'], 4],
  ['let without init resets', ['let a = 1', 'let a', 'a'], undefined],
  ['let without init resets (async)', ['let a = 1', 'let a; await 0', 'a'], undefined],
  ['bare var keeps the value', ['var v = 1', 'var v', 'v'], 1],
  ['bare var keeps the value (async)', ['var v = 1', 'var v; await 0', 'v'], 1],
  ['bare var keeps a const’s value', ['const v = 1', 'var v', 'v'], 1],
  ['function in sync, called from async', ['function f() { return 7 }', 'await 0; f()'], 7],
  ['function in async, called from sync', ['function f() { return 7 }\nawait 0', 'f()'], 7],
  ['function hoisted within its sync block', ['const r = f(); function f() { return 5 }', 'r'], 5],
  ['function in async, hoisted within its block', ['const r = f(); function f() { return 5 }\nawait 0', 'r'], 5],
  ['recursive function in async', ['function fact(n) { return n ? n * fact(n - 1) : 1 }\nawait 0', 'fact(5)'], 120],
  ['function re-declared', ['function f() { return 1 }', 'function f() { return 2 }\nawait 0', 'f()'], 2],
  // As in Node's REPL: a function calls the helper a later block declared again, not the one beside it.
  ['a function calls the latest helper (sync blocks)', ['function helper() { return 1 }\nfunction main() { return helper() }', 'function helper() { return 2 }', 'main()'], 2],
  ['a function calls the latest helper (redefined in an async block)', ['function helper() { return 1 }\nfunction main() { return helper() }', 'function helper() { return 3 }\nawait 0', 'main()'], 3],
  ['function reads a let declared after it', ['function f() { return n }\nlet n = 3', 'f()'], 3],
  ['class in sync', ['class A { v = 3 }', 'new A().v'], 3],
  ['class in async', ['class A { v = 3 }\nawait 0', 'new A().v'], 3],
  ['class re-declared', ['class A { v = 1 }', 'class A { v = 2 }', 'await 0; new A().v'], 2],
  ['class re-declared in async', ['class A { v = 1 }', 'class A { v = 2 }; await 0', 'new A().v'], 2],
  [
    'nested destructuring with rest and defaults (async)',
    ['const { a, b: [c, ...d] = [1, 2, 3], e = 9, ...f } = { a: 0, g: 4 }; await 0', '[a, c, d, e, f]'],
    [0, 1, [2, 3], 9, { g: 4 }],
  ],
  ['a default reads a name bound before it', ['const { a, b = a + 1 } = { a: 1 }', '[a, b]'], [1, 2]],
  ['array destructuring (sync)', ['const [x, , y = 3, ...z] = [1, 2, undefined, 4, 5]', '[x, y, z]'], [1, 3, [4, 5]]],
  ['closure sees the later value', ['let n = 1; const get = () => n; await 0', 'n = 2', 'get()'], 2],
  ['closure sees a re-declaration', ['let n = 1; const get = () => n', 'const n = 5', 'get()'], 5],
  ['last expression returned (async)', ['await 0; 40 + 2'], 42],
  ['object literal returned (async)', ['await 0; ({ a: 1 })'], { a: 1 }],
  ['declaration-only sync block has no value', ['1 + 1; const a = 1'], undefined],
  ['declaration-only async block has no value', ['const a = await 1'], undefined],
  ['trailing empty statements keep the value (async)', ['await 0;;;'], 0],
  ['trailing empty statements keep the value (sync)', ['1;;;'], 1],
  ['a sync block with a function returns its last expression', ['function f() { return 6 }\nf();'], 6],
  ['default and named import', ["import d, { n } from 'm'", '[d, n]'], ['D', 'N']],
  ['namespace import', ["import * as ns from 'm'", 'ns.n'], 'N'],
  ['default with namespace', ["import d, * as ns from 'm'", 'await 0; [d, ns.n]'], ['D', 'N']],
  ['import re-declared', ["import { n } from 'm'", 'const n = 1', 'n'], 1],
  ['for await at top level', ['let sum = 0; for await (const x of [1, 2]) sum += x', 'sum'], 3],
  // Every var not inside a function is hoisted, wherever it stands.
  ['for (var …) (sync)', ['for (var i = 0; i < 3; i++) {}', 'i'], 3],
  ['for (var …) (async)', ['for (var i = 0; i < 3; i++) { await i }', 'i'], 3],
  ['for…in (var …) (async)', ['for (var k in { x: 1 }) { await 1 }', 'k'], 'x'],
  ['for…of (var [ … ]) (async)', ['for (var [i, { j }] of [[1, { j: 2 }]]) { await 1 }', '[i, j]'], [1, 2]],
  ['for await (var …)', ['for await (var i of [1, 2]) {}', 'i'], 2],
  ['var in if (async)', ['if (await true) { var a = 1 }', 'a'], 1],
  ['var in a block (async)', ['{ var p = await 1 }', 'p'], 1],
  ['var in a labelled block (sync)', ['found: { var q = 2; break found }', 'q'], 2],
  ['var inside a function stays there', ['function f() { var mine = 1 }\nawait 0', 'typeof mine'], 'undefined'],
  ['var in a static block stays there', ['class C { static { var s = 1 } }', 'typeof s'], 'undefined'],
  ['let in a block stays there (async)', ['if (await true) { let inner = 1 }', 'typeof inner'], 'undefined'],
  // Sloppy-mode block-level functions are visible after the block, with or without await.
  ['function in if (sync)', ['if (true) { function foo() { return 1 } }', 'foo()'], 1],
  ['function in if (async)', ['if (await true) { function foo() { return 2 } }', 'foo()'], 2],
  ['function as an if body (sync)', ['if (true) function foo() { return 3 }', 'foo()'], 3],
  ['function in a switch case (async)', ['switch (await 1) { case 1: function foo() { return 4 } }', 'foo()'], 4],
  ['function in a block of a strict block stays there', ["'use strict'; if (await true) { function foo() {} }", 'typeof foo'], 'undefined'],
  ['an async function in a block stays there (Annex B is for plain functions)', ['if (true) { async function af() {} }', 'typeof af'], 'undefined'],
  ['a generator in a block stays there (async)', ['if (await true) { function* gen() {} }', 'typeof gen'], 'undefined'],
];

// TypeScript blocks go through esbuild first, which compiles a block with top-level await as a module.
const typescript: [name: string, blocks: string[], last: unknown][] = [
  ['a block-level function in a block with await', ['if (await true) { function foo(): number { return 1 } }', 'foo()'], 1],
  ['a block-level function in a switch with await', ['switch (await 1) { case 1: function foo(): number { return 2 } }', 'foo()'], 2],
  ['a function expression assigned to a let in a block stays there', ['if (await true) { let f = function (): number { return 1 } }', 'typeof f'], 'undefined'],
  ['a strict block keeps its block-level functions', ["'use strict'\nif (await true) { function foo() {} }", 'typeof foo'], 'undefined'],
  ['a block-level function without await', ['if (true) { function foo(): number { return 3 } }', 'foo()'], 3],
];

describe.each(realms)('hoisted blocks in the %s', (realm) => {
  it.each(behaviour)('%s', async (_name, blocks, last) => {
    const values = await runBlocks(realm, blocks);
    expect(values[values.length - 1]).toEqual(last);
  });

  it.each(typescript)('TypeScript: %s', async (_name, blocks, last) => {
    const values = await runBlocks(realm, blocks, 'ts');
    expect(values[values.length - 1]).toEqual(last);
  });

  it.each([
    ['sync', 'Promise.resolve(5)'],
    ['async', 'await 0; Promise.resolve(5)'],
  ])('a promise a %s block ends with is its value, not awaited', async (_kind, block) => {
    const [value] = await runBlocks(realm, [block]);
    expect(types.isPromise(value)).toBe(true);
    await expect(value).resolves.toBe(5);
  });

  // [blocks, error name, message]
  const errors: [name: string, blocks: string[], errorName: string, message: string][] = [
    ['assigning a const in its block', ['const k = 1; k = 2'], 'TypeError', 'Assignment to constant variable.'],
    ['assigning a const in a later block', ['const k = 1', 'k = 2'], 'TypeError', 'Assignment to constant variable.'],
    ['assigning a const in a later async block', ['const k = await 1', 'await 0; k += 1'], 'TypeError', 'Assignment to constant variable.'],
    ['assigning a const from a function', ['const k = 1; function bump() { k++ }', 'bump()'], 'TypeError', 'Assignment to constant variable.'],
    ['assigning a destructured const', ['const { k } = { k: 1 }', 'k = 2'], 'TypeError', 'Assignment to constant variable.'],
    ['assigning an import', ["import { n } from 'm'", 'n = 1'], 'TypeError', 'Assignment to constant variable.'],
    ['reading a let before its declaration', ['a; let a = 1'], 'ReferenceError', "Cannot access 'a' before initialization"],
    ['typeof a let before its declaration', ['typeof a; let a'], 'ReferenceError', "Cannot access 'a' before initialization"],
    ['assigning a let before its declaration', ['a = 0; let a = 1'], 'ReferenceError', "Cannot access 'a' before initialization"],
    ['reading a const before its declaration (async)', ['await 0; k; const k = 1'], 'ReferenceError', "Cannot access 'k' before initialization"],
    ['an earlier block’s value is not visible before the re-declaration', ['let a = 1', 'a; let a = 2'], 'ReferenceError', "Cannot access 'a' before initialization"],
    ['a class before its declaration', ['new C(); class C {}'], 'ReferenceError', "Cannot access 'C' before initialization"],
    ['a function calling a let not yet declared', ['f(); function f() { return n } let n = 1'], 'ReferenceError', "Cannot access 'n' before initialization"],
  ];

  it.each(errors)('%s throws', async (_name, blocks, errorName, message) => {
    const run = runBlocks(realm, blocks);
    await expect(run).rejects.toThrow(message);
    const error = await run.catch((caught: unknown) => caught);
    expect((error as Error).name).toBe(errorName);
    // The doc's own constructors: `instanceof` works in the doc's realm.
    expect(error instanceof (open!.global[errorName] as ErrorConstructor)).toBe(true);
  });

  it('a function from an earlier block rethrows a non-Error unchanged, recorded at its own block', async () => {
    const run = runBlocks(realm, ["globalThis.payload = { reason: 'nope' }", 'function fail() { throw payload }', 'await 0\nfail()']);
    await expect(run).rejects.toEqual({ reason: 'nope' });
    expect(open!.thrown).toEqual([{ value: { reason: 'nope' }, blockIndex: 1, offset: 18 }]);
    delete open!.global.payload;
  });

  it('thrown() sees block index and offset of the throw statement', async () => {
    await runBlocks(realm, ['1', 'try { throw "s" } catch {}']);
    expect(open!.thrown).toEqual([{ value: 's', blockIndex: 1, offset: 6 }]);
  });
});
