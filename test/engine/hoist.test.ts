import vm from 'node:vm';
import { describe, expect, it } from 'vitest';
import { boundNames, hoistBlock } from '../../src/engine/hoist.js';
import { RUNTIME } from '../../src/engine/runtime-name.js';
import { originalOffset } from '../../src/engine/edits.js';
import { parse, type Pattern } from 'acorn';

// Blocks without top-level await stay scripts: declarations become `var`.
const syncCases: [input: string, expected: string][] = [
  ['const a = 1', 'var a = 1\n;void 0'],
  ['let a = 1', 'var a = 1\n;void 0'],
  ['let b', 'var b = void 0\n;void 0'],
  ['let a = 1, b', 'var a = 1, b = void 0\n;void 0'],
  ['var v', 'var v\n;void 0'],
  ['var v = 1', 'var v = 1\n;void 0'],
  ['const { a, b: [c, ...d] = [], ...e } = o', 'var { a, b: [c, ...d] = [], ...e } = o\n;void 0'],
  ['class A {}', 'var A = class A {};\n;void 0'],
  ['class A extends B { x = 1 }', 'var A = class A extends B { x = 1 };\n;void 0'],
  ['function f() { return 1 }', 'function f() { return 1 }\n;void 0'],
  ['1 + 2', '1 + 2'],
  ['const a = 1; a', 'var a = 1; a'],
  ['const a = 1\n;[a].map(String)', 'var a = 1\n;[a].map(String)'],
  // Only the top level is rewritten.
  ['if (x) { const inner = 1 }', 'if (x) { const inner = 1 }\n;void 0'],
  ['for (let i = 0; i < 1; i++) {}', 'for (let i = 0; i < 1; i++) {}\n;void 0'],
  ['function g() { let local = 1; return local }', 'function g() { let local = 1; return local }\n;void 0'],
  // await inside a function does not make the block async.
  ['async function q() { await 1 }', 'async function q() { await 1 }\n;void 0'],
  ['const f = async () => { await 1 }', 'var f = async () => { await 1 }\n;void 0'],
  // Exports are stripped, the declarations kept.
  ['export const e = 1', 'var e = 1\n;void 0'],
  ['export function ef() {}', 'function ef() {}\n;void 0'],
  ['export default function df() {}', 'function df() {}\n;void 0'],
  ['export default 42', '42\n;void 0'],
  ['const e = 1; export { e }', 'var e = 1; \n;void 0'],
  ['export * from "z"', '\n;void 0'],
  // Exporting a name an earlier block declared: nothing to strip but the export.
  ['export { e }', '\n;void 0'],
  // Dynamic import and import.meta go through the runtime.
  ["const p = import('x')", `var p = ${RUNTIME}.import('x')\n;void 0`],
  ['const m = import.meta.url', `var m = ${RUNTIME}.importMeta.url\n;void 0`],
  // `using` stays block-scoped.
  ['using r = null', 'using r = null\n;void 0'],
];

// Blocks with top-level await run in an async wrapper; names are declared with var after it.
const asyncCases: [input: string, expected: string][] = [
  ['const a = await 1', '(async () => { ;(a = await 1)\n})()\nvar a;'],
  ['let b; await 0', '(async () => { ;(b = void 0); return (await 0)\n})()\nvar b;'],
  ['let a = 1, b; await 0', '(async () => { ;(a = 1), (b = void 0); return (await 0)\n})()\nvar a, b;'],
  // A bare `var` keeps the value the name had.
  ['var v; await 0', '(async () => { ;void 0; return (await 0)\n})()\nvar v;'],
  ['var v = 2; await 0', '(async () => { ;(v = 2); return (await 0)\n})()\nvar v;'],
  [
    'const { a, b: [c, ...d] = [1], e = 2, ...f } = o; await 0',
    '(async () => { ;({ a, b: [c, ...d] = [1], e = 2, ...f } = o); return (await 0)\n})()\nvar a, c, d, e, f;',
  ],
  ['const { p: { q: { r } } } = o; await 0', '(async () => { ;({ p: { q: { r } } } = o); return (await 0)\n})()\nvar r;'],
  ['const [x, , y = 3, ...z] = arr; await 0', '(async () => { ;([x, , y = 3, ...z] = arr); return (await 0)\n})()\nvar x, y, z;'],
  ['let [a] = [1], {b} = {b: 2}; await 0', '(async () => { ;([a] = [1]), ({b} = {b: 2}); return (await 0)\n})()\nvar a, b;'],
  ['class A {} await 0', '(async () => { ;A = class A {}; return (await 0)\n})()\nvar A;'],
  ['function f() {} await 0', `(async () => { ${RUNTIME}.global.f = f; function f() {} return (await 0)\n})()`],
  [
    'async function g() {} function h() {} await 0; g',
    `(async () => { ${RUNTIME}.global.g = g; ${RUNTIME}.global.h = h; async function g() {} function h() {} await 0; return (g)\n})()`,
  ],
  ['await 0; 1 + 2', '(async () => { await 0; return (1 + 2)\n})()'],
  ['await 0; 1 + 2;', '(async () => { await 0; return (1 + 2);\n})()'],
  ['const a = 1; await 0; let b = a', '(async () => { ;(a = 1); await 0; ;(b = a)\n})()\nvar a, b;'],
  ['await 0\nconst x = 1\n// trailing comment', '(async () => { await 0\n;(x = 1)\n// trailing comment\n})()\nvar x;'],
  ['for await (const x of y) {}', '(async () => { for await (const x of y) {}\n})()'],
  ['for (const x of [1]) {} await 0', '(async () => { for (const x of [1]) {} return (await 0)\n})()'],
  // A parenthesised last expression (esbuild prints object literals that way) is returned whole.
  ['await 0; ({ a: 1 })', '(async () => { await 0; return (({ a: 1 }))\n})()'],
  ['await 0; ({ a: 1 });', '(async () => { await 0; return (({ a: 1 }));\n})()'],
  ['await 0; (a, b)', '(async () => { await 0; return ((a, b))\n})()'],
  // Static imports: awaited calls to the runtime's resolver.
  ["import x from 'y'", `(async () => { ;({ default: x } = ${RUNTIME}.withDefault(await ${RUNTIME}.import("y")));\n})()\nvar x;`],
  ["import * as ns from 'y'", `(async () => { ;ns = await ${RUNTIME}.import("y");\n})()\nvar ns;`],
  ["import x, * as ns from 'y'", `(async () => { ;ns = await ${RUNTIME}.import("y"); x = ${RUNTIME}.defaultOf(ns);\n})()\nvar x, ns;`],
  ["import { a, b as c } from 'y'", `(async () => { ;({ a: a, b: c } = ${RUNTIME}.withDefault(await ${RUNTIME}.import("y")));\n})()\nvar a, c;`],
  ["import d, { a } from 'y'", `(async () => { ;({ default: d, a: a } = ${RUNTIME}.withDefault(await ${RUNTIME}.import("y")));\n})()\nvar d, a;`],
  ["import { 'str' as s } from 'y'", `(async () => { ;({ "str": s } = ${RUNTIME}.withDefault(await ${RUNTIME}.import("y")));\n})()\nvar s;`],
  ["import 'side'", `(async () => { ;await ${RUNTIME}.import("side");\n})()`],
  ['export const e = await 1', '(async () => { ;(e = await 1)\n})()\nvar e;'],
];

// Every throw reports its block and offset; the value passes through unchanged.
const throwCases: [input: string, index: number, expected: string][] = [
  ["throw new Error('x')", 0, `throw ${RUNTIME}.thrown(new Error('x'), 0, 0)\n;void 0`],
  ["throw 'str'", 3, `throw ${RUNTIME}.thrown('str', 3, 0)\n;void 0`],
  ['function t() { throw {a: 1} }', 1, `function t() { throw ${RUNTIME}.thrown({a: 1}, 1, 15) }\n;void 0`],
  ['await 0; throw 1', 2, `(async () => { await 0; throw ${RUNTIME}.thrown(1, 2, 9)\n})()`],
];

describe('hoistBlock: sync blocks', () => {
  it.each(syncCases)('%j', (input, expected) => {
    const result = hoistBlock(input, 0);
    expect(result.code).toBe(expected);
    expect(result.isAsync).toBe(false);
  });
});

describe('hoistBlock: async blocks', () => {
  it.each(asyncCases)('%j', (input, expected) => {
    const result = hoistBlock(input, 0);
    expect(result.code).toBe(expected);
    expect(result.isAsync).toBe(true);
  });

  it.each(asyncCases)('%j compiles as a script', (input) => {
    expect(() => new vm.Script(hoistBlock(input, 0).code)).not.toThrow();
  });
});

describe('hoistBlock: throw instrumentation', () => {
  it.each(throwCases)('%j (block %i)', (input, index, expected) => {
    expect(hoistBlock(input, index).code).toBe(expected);
  });
});

describe('hoistBlock: syntax errors and positions', () => {
  it('throws acorn’s SyntaxError with the offset of the problem', () => {
    let caught: unknown;
    try {
      hoistBlock('const ok = 1\nconst = 2', 0);
    } catch (error) {
      caught = error;
    }
    expect((caught as Error).name).toBe('SyntaxError');
    expect((caught as { pos: number }).pos).toBe(19);
  });

  it('accepts sloppy-mode scripts (with)', () => {
    expect(hoistBlock('with (o) { x }', 0).code).toBe('with (o) { x }\n;void 0');
  });

  // [source, text to find in the output, text it must map back to in the source]
  const mapped: [string, string, string][] = [
    ['const a = await f()', 'f()', 'f()'],
    ['let x = 1\nawait 0\nboom()', 'boom()', 'boom()'],
    ["import x from 'y'\nx.go()", 'x.go()', 'x.go()'],
    ['class A {}\nnew A().m()', 'new A().m()', 'new A().m()'],
  ];
  it.each(mapped)('maps %j back to the original offsets', (source, generated, original) => {
    const result = hoistBlock(source, 0);
    const at = result.code.indexOf(generated);
    expect(at).toBeGreaterThan(-1);
    expect(originalOffset(result.segments, at)).toBe(source.indexOf(original));
    expect(originalOffset(result.segments, at + 2)).toBe(source.indexOf(original) + 2);
  });
});

describe('boundNames', () => {
  const patterns: [string, string[]][] = [
    ['a', ['a']],
    ['{ a, b: c }', ['a', 'c']],
    ['{ a: { b: [c, ...d] } = {}, ...e }', ['c', 'd', 'e']],
    ['[x, , y = 1, ...[z]]', ['x', 'y', 'z']],
  ];
  it.each(patterns)('%s binds %j', (pattern, names) => {
    const program = parse(`var ${pattern} = v`, { ecmaVersion: 'latest' });
    const declaration = program.body[0] as { declarations: { id: Pattern }[] };
    expect(boundNames(declaration.declarations[0]!.id)).toEqual(names);
  });
});

// Evaluates blocks one after another in one context, as the runner does.
async function runBlocks(blocks: string[], imports: Record<string, Record<string, unknown>> = {}, thrown: unknown[] = []) {
  const context = vm.createContext({ console });
  const global = vm.runInContext('globalThis', context) as Record<string, unknown>;
  const runtime = {
    global,
    import: async (specifier: string) => {
      const module = imports[specifier];
      if (!module) throw new Error(`no module ${specifier}`);
      return module;
    },
    importMeta: { url: 'file:///doc.md', filename: '/doc.md', dirname: '/' },
    withDefault: (ns: Record<string, unknown>) => ns,
    defaultOf: (ns: Record<string, unknown>) => ns.default,
    thrown: (value: unknown, blockIndex: number, offset: number) => {
      thrown.push({ value, blockIndex, offset });
      return value;
    },
  };
  Object.defineProperty(global, RUNTIME, { value: runtime });
  const values: unknown[] = [];
  for (const [index, block] of blocks.entries()) {
    const { code, isAsync } = hoistBlock(block, index);
    const value = new vm.Script(code, { filename: `block${index}` }).runInContext(context);
    values.push(isAsync ? await value : value);
  }
  return { values, global, thrown };
}

// [blocks, value of the last block]
const behaviour: [name: string, blocks: string[], last: unknown][] = [
  ['const in sync, read in sync', ['const a = 1', 'a + 1'], 2],
  ['const in sync, read in async', ['const a = 1', 'await 0; a + 1'], 2],
  ['const in async, read in sync', ['const a = await 1', 'a + 1'], 2],
  ['const in async, read in async', ['const a = await 1', 'await 0; a + 1'], 2],
  ['let re-declared in sync', ['let a = 1', 'let a = 2', 'a'], 2],
  ['const re-declared in async', ['const a = 1', 'const a = await 2', 'a'], 2],
  ['let without init resets', ['let a = 1', 'let a', 'a'], undefined],
  ['let without init resets (async)', ['let a = 1', 'let a; await 0', 'a'], undefined],
  ['bare var keeps the value', ['var v = 1', 'var v', 'v'], 1],
  ['bare var keeps the value (async)', ['var v = 1', 'var v; await 0', 'v'], 1],
  ['function in sync, called from async', ['function f() { return 7 }', 'await 0; f()'], 7],
  ['function in async, called from sync', ['function f() { return 7 }\nawait 0', 'f()'], 7],
  ['function in async, hoisted within its block', ['const r = f(); function f() { return 5 }\nawait 0', 'r'], 5],
  ['recursive function in async', ['function fact(n) { return n ? n * fact(n - 1) : 1 }\nawait 0', 'fact(5)'], 120],
  ['function re-declared', ['function f() { return 1 }', 'function f() { return 2 }\nawait 0', 'f()'], 2],
  ['class in sync', ['class A { v = 3 }', 'new A().v'], 3],
  ['class in async', ['class A { v = 3 }\nawait 0', 'new A().v'], 3],
  ['class re-declared', ['class A { v = 1 }', 'class A { v = 2 }', 'await 0; new A().v'], 2],
  ['class re-declared in async', ['class A { v = 1 }', 'class A { v = 2 }; await 0', 'new A().v'], 2],
  [
    'nested destructuring with rest and defaults (async)',
    ['const { a, b: [c, ...d] = [1, 2, 3], e = 9, ...f } = { a: 0, g: 4 }; await 0', '[a, c, d, e, f]'],
    [0, 1, [2, 3], 9, { g: 4 }],
  ],
  ['array destructuring (sync)', ['const [x, , y = 3, ...z] = [1, 2, undefined, 4, 5]', '[x, y, z]'], [1, 3, [4, 5]]],
  ['closure sees the later value', ['let n = 1; const get = () => n; await 0', 'n = 2', 'get()'], 2],
  ['last expression returned (async)', ['await 0; 40 + 2'], 42],
  ['object literal returned (async)', ['await 0; ({ a: 1 })'], { a: 1 }],
  ['declaration-only sync block has no value', ['1 + 1; const a = 1'], undefined],
  ['declaration-only async block has no value', ['const a = await 1'], undefined],
  ['default and named import', ["import d, { n } from 'm'", '[d, n]'], ['D', 'N']],
  ['namespace import', ["import * as ns from 'm'", 'ns.n'], 'N'],
  ['default with namespace', ["import d, * as ns from 'm'", 'await 0; [d, ns.n]'], ['D', 'N']],
  ['import re-declared', ["import { n } from 'm'", 'const n = 1', 'n'], 1],
  ['for await at top level', ['let sum = 0; for await (const x of [1, 2]) sum += x', 'sum'], 3],
];

describe('hoisted blocks in a vm context', () => {
  it.each(behaviour)('%s', async (_name, blocks, last) => {
    const { values } = await runBlocks(blocks, { m: { default: 'D', n: 'N' } });
    expect(values[values.length - 1]).toEqual(last);
  });

  it('a function from an earlier block rethrows a non-Error unchanged, recorded at its own block', async () => {
    const thrown: unknown[] = [];
    const run = runBlocks(["globalThis.payload = { reason: 'nope' }", 'function fail() { throw payload }', 'await 0\nfail()'], {}, thrown);
    await expect(run).rejects.toEqual({ reason: 'nope' });
    expect(thrown).toEqual([{ value: { reason: 'nope' }, blockIndex: 1, offset: 18 }]);
  });

  it('thrown() sees block index and offset of the throw statement', async () => {
    const context = await runBlocks(['1', 'try { throw "s" } catch {}']);
    expect(context.thrown).toEqual([{ value: 's', blockIndex: 1, offset: 6 }]);
  });
});
