import vm from 'node:vm';
import { describe, expect, it } from 'vitest';
import { boundNames, hoistBlock } from '../../src/engine/hoist.js';
import { BINDINGS } from '../../src/engine/hoist-state.js';
import { RUNTIME } from '../../src/engine/runtime-name.js';
import { originalOffset } from '../../src/engine/edits.js';
import { parse, type Pattern } from 'acorn';

// `@` stands for the bindings the rewritten code declares through (see notebook-bindings.ts).
const b = (text: string): string => text.replaceAll('@', BINDINGS);

// Blocks without top-level await stay scripts unless they declare functions; the script itself declares nothing.
const syncCases: [input: string, expected: string][] = [
  ['const a = 1', b(`@.enter(["a"], []); void (@.const.a = 1);\n;void 0`)],
  ['let a = 1', b(`@.enter(["a"], []); void (@.let.a = 1);\n;void 0`)],
  ['let b', b(`@.enter(["b"], []); void (@.let.b = void 0);\n;void 0`)],
  ['let a = 1, b', b(`@.enter(["a","b"], []); void ((@.let.a = 1), (@.let.b = void 0));\n;void 0`)],
  ['var v', b(`@.enter([], ["v"]); void (void 0);\n;void 0`)],
  ['var v = 1', b(`@.enter([], ["v"]); void (v = 1);\n;void 0`)],
  ['const { a, b: [c, ...d] = [], ...e } = o', b(`@.enter(["a","c","d","e"], []); void ({ a: @.const.a, b: [@.const.c, ...@.const.d] = [], ...@.const.e } = o);\n;void 0`)],
  ['class A {}', b(`@.enter(["A"], []); void (@.let.A = class A {});\n;void 0`)],
  ['class A extends B { x = 1 }', b(`@.enter(["A"], []); void (@.let.A = class A extends B { x = 1 });\n;void 0`)],
  ['function f() { return 1 }', b(`@.enter([], [], { f }); function f() { return 1 }\n;void 0`)],
  ['1 + 2', `1 + 2`],
  ['const a = 1; a', b(`@.enter(["a"], []); void (@.const.a = 1); a`)],
  ['const a = 1\n;[a].map(String)', b(`@.enter(["a"], []); void (@.const.a = 1)\n;[a].map(String)`)],
  ['if (x) { const inner = 1 }', `if (x) { const inner = 1 }\n;void 0`],
  ['for (let i = 0; i < 1; i++) {}', `for (let i = 0; i < 1; i++) {}\n;void 0`],
  ['function g() { let local = 1; return local }', b(`@.enter([], [], { g }); function g() { let local = 1; return local }\n;void 0`)],
  ['async function q() { await 1 }', b(`@.enter([], [], { q }); async function q() { await 1 }\n;void 0`)],
  ['const f = async () => { await 1 }', b(`@.enter(["f"], []); void (@.const.f = async () => { await 1 });\n;void 0`)],
  ['export const e = 1', b(`@.enter(["e"], []); void (@.const.e = 1);\n;void 0`)],
  ['export function ef() {}', b(`@.enter([], [], { ef }); function ef() {}\n;void 0`)],
  ['export default function df() {}', b(`@.enter([], [], { df }); function df() {}\n;void 0`)],
  ['export default 42', `42\n;void 0`],
  ['const e = 1; export { e }', b(`@.enter(["e"], []); void (@.const.e = 1); \n;void 0`)],
  ['export * from "z"', `\n;void 0`],
  ['export { e }', `\n;void 0`],
  ["const p = import('x')", b(`@.enter(["p"], []); void (@.const.p = ${RUNTIME}.import('x'));\n;void 0`)],
  ['const m = import.meta.url', b(`@.enter(["m"], []); void (@.const.m = ${RUNTIME}.importMeta.url);\n;void 0`)],
  ['using r = null', `using r = null\n;void 0`],
  ['if (x) { var a = 1 }', b(`@.enter([], ["a"]); if (x) { void (a = 1); }\n;void 0`)],
  ['for (var i = 0; i < 1; i++) {}', b(`@.enter([], ["i"]); for (void (i = 0); i < 1; i++) {}\n;void 0`)],
  ['for (var i = 0, j; ;) break', b(`@.enter([], ["i","j"]); for (void ((i = 0), void 0); ;) break\n;void 0`)],
  ['for (var k in o) {}', b(`@.enter([], ["k"]); for (k in o) {}\n;void 0`)],
  ['for (var [a, { b }] of xs) {}', b(`@.enter([], ["a","b"]); for ([a, { b }] of xs) {}\n;void 0`)],
  ['label: { var l = 1 }', b(`@.enter([], ["l"]); label: { void (l = 1); }\n;void 0`)],
  ['function outer() { var mine = 1 }', b(`@.enter([], [], { outer }); function outer() { var mine = 1 }\n;void 0`)],
  ['class C { static { var s = 1 } }', b(`@.enter(["C"], []); void (@.let.C = class C { static { var s = 1 } });\n;void 0`)],
  ['if (x) { function inner() {} }', b(`(() => { if (x) { @.let.inner = inner; function inner() {} }\n})()`)],
  ['if (x) function g() {}', b(`(() => { if (x) { @.let.g = g; function g() {} }\n})()`)],
  ["'use strict'; if (x) { function inner() {} }", `'use strict'; if (x) { function inner() {} }\n;void 0`],
  ["'use strict'; let s = 1", b(`'use strict'; @.enter(["s"], []);  void (@.let.s = 1);\n;void 0`)],
  ['export default class {}', `void class {}\n;void 0`],
  ['1;;;', `1;;;`],
  ['x\nlet y = 2\n(z)', b(`@.enter(["y"], []); x\nvoid (@.let.y = 2\n(z));\n;void 0`)],
];

// Blocks with top-level await run in an async wrapper returning `{ value }`.
const asyncCases: [input: string, expected: string][] = [
  ['const a = await 1', b(`(async () => { @.enter(["a"], []); void (@.const.a = await 1);\n})()`)],
  ['let b; await 0', b(`(async () => { @.enter(["b"], []); void (@.let.b = void 0); return { value: (await 0) }\n})()`)],
  ['let a = 1, b; await 0', b(`(async () => { @.enter(["a","b"], []); void ((@.let.a = 1), (@.let.b = void 0)); return { value: (await 0) }\n})()`)],
  ['var v; await 0', b(`(async () => { @.enter([], ["v"]); void (void 0); return { value: (await 0) }\n})()`)],
  ['var v = 2; await 0', b(`(async () => { @.enter([], ["v"]); void (v = 2); return { value: (await 0) }\n})()`)],
  ['const { a, b: [c, ...d] = [1], e = 2, ...f } = o; await 0', b(`(async () => { @.enter(["a","c","d","e","f"], []); void ({ a: @.const.a, b: [@.const.c, ...@.const.d] = [1], e: @.const.e = 2, ...@.const.f } = o); return { value: (await 0) }\n})()`)],
  ['const { p: { q: { r } } } = o; await 0', b(`(async () => { @.enter(["r"], []); void ({ p: { q: { r: @.const.r } } } = o); return { value: (await 0) }\n})()`)],
  ['const [x, , y = 3, ...z] = arr; await 0', b(`(async () => { @.enter(["x","y","z"], []); void ([@.const.x, , @.const.y = 3, ...@.const.z] = arr); return { value: (await 0) }\n})()`)],
  ['let [a] = [1], {b} = {b: 2}; await 0', b(`(async () => { @.enter(["a","b"], []); void (([@.let.a] = [1]), ({b: @.let.b} = {b: 2})); return { value: (await 0) }\n})()`)],
  ['class A {} await 0', b(`(async () => { @.enter(["A"], []); void (@.let.A = class A {}); return { value: (await 0) }\n})()`)],
  ['function f() {} await 0', b(`(async () => { @.enter([], [], { f }); function f() {} return { value: (await 0) }\n})()`)],
  ['async function g() {} function h() {} await 0; g', b(`(async () => { @.enter([], [], { g, h }); async function g() {} function h() {} await 0; return { value: (g) }\n})()`)],
  ['await 0; 1 + 2', `(async () => { await 0; return { value: (1 + 2) }\n})()`],
  ['await 0; 1 + 2;', `(async () => { await 0; return { value: (1 + 2) };\n})()`],
  ['await 0;;;', `(async () => { return { value: (await 0) };;;\n})()`],
  ['const a = 1; await 0; let b = a', b(`(async () => { @.enter(["a","b"], []); void (@.const.a = 1); await 0; void (@.let.b = a);\n})()`)],
  ['await 0\nconst x = 1\n// trailing comment', b(`(async () => { @.enter(["x"], []); await 0\nvoid (@.const.x = 1);\n// trailing comment\n})()`)],
  ['for await (const x of y) {}', `(async () => { for await (const x of y) {}\n})()`],
  ['for (const x of [1]) {} await 0', `(async () => { for (const x of [1]) {} return { value: (await 0) }\n})()`],
  ['await 0; ({ a: 1 })', `(async () => { await 0; return { value: (({ a: 1 })) }\n})()`],
  ['await 0; ({ a: 1 });', `(async () => { await 0; return { value: (({ a: 1 })) };\n})()`],
  ['await 0; (a, b)', `(async () => { await 0; return { value: ((a, b)) }\n})()`],
  ["import x from 'y'", b(`(async () => { ;({ default: @.const.x } = ${RUNTIME}.withDefault(await ${RUNTIME}.import("y")));\n})()`)],
  ["import * as ns from 'y'", b(`(async () => { ;@.const.ns = await ${RUNTIME}.import("y");\n})()`)],
  ["import x, * as ns from 'y'", b(`(async () => { ;@.const.ns = await ${RUNTIME}.import("y"); @.const.x = ${RUNTIME}.defaultOf(ns);\n})()`)],
  ["import { a, b as c } from 'y'", b(`(async () => { ;({ a: @.const.a, b: @.const.c } = ${RUNTIME}.withDefault(await ${RUNTIME}.import("y")));\n})()`)],
  ["import d, { a } from 'y'", b(`(async () => { ;({ default: @.const.d, a: @.const.a } = ${RUNTIME}.withDefault(await ${RUNTIME}.import("y")));\n})()`)],
  ["import { 'str' as s } from 'y'", b(`(async () => { ;({ "str": @.const.s } = ${RUNTIME}.withDefault(await ${RUNTIME}.import("y")));\n})()`)],
  ["import 'side'", `(async () => { ;await ${RUNTIME}.import("side");\n})()`],
  ['export const e = await 1', b(`(async () => { @.enter(["e"], []); void (@.const.e = await 1);\n})()`)],
  ['for await (var i of it) { i }', b(`(async () => { @.enter([], ["i"]); for await (i of it) { i }\n})()`)],
  ['if (await true) { var a = 1 }', b(`(async () => { @.enter([], ["a"]); if (await true) { void (a = 1); }\n})()`)],
  ['{ var p = await 1 }', b(`(async () => { @.enter([], ["p"]); { void (p = await 1); }\n})()`)],
  ['if (await true) { function foo() {} }', b(`(async () => { if (await true) { @.let.foo = foo; function foo() {} }\n})()`)],
  ['switch (await k) { case 1: function sw() {} }', b(`(async () => { switch (await k) { case 1: @.let.sw = sw; function sw() {} }\n})()`)],
  ["'use strict'; await 0; if (x) { function inner() {} }", `(async () => { 'use strict'; await 0; if (x) { function inner() {} }\n})()`],
  ['await 0; Promise.resolve(1)', `(async () => { await 0; return { value: (Promise.resolve(1)) }\n})()`],
];

// Every throw reports its block and offset; the value passes through unchanged.
const throwCases: [input: string, index: number, expected: string][] = [
  ["throw new Error('x')", 0, `throw ${RUNTIME}.thrown(new Error('x'), 0, 0)\n;void 0`],
  ["throw 'str'", 3, `throw ${RUNTIME}.thrown('str', 3, 0)\n;void 0`],
  ['function t() { throw {a: 1} }', 1, b(`@.enter([], [], { t }); function t() { throw ${RUNTIME}.thrown({a: 1}, 1, 15) }\n;void 0`)],
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

describe('hoistBlock: block-level functions esbuild lowered', () => {
  const lowered = { isLoweredFunction: (offset: number) => offset === 9 };
  it('publishes `let f = function` that was a function declaration, after it', () => {
    expect(hoistBlock('if (x) { let f = function() {}; }', 0, lowered).code).toBe(b('(() => { if (x) { let f = function() {}; @.let.f = f; }\n})()'));
  });
  it('leaves one that was not, and one in a strict block', () => {
    expect(hoistBlock('if (x) { let f = function() {}; }', 0, { isLoweredFunction: () => false }).code).toBe('if (x) { let f = function() {}; }\n;void 0');
    expect(hoistBlock("'use strict'; if (x) { let f = function() {}; }", 0, { isLoweredFunction: () => true }).code).toBe("'use strict'; if (x) { let f = function() {}; }\n;void 0");
  });
  it('leaves async and generator functions in their block, as Annex B does', () => {
    expect(hoistBlock('if (x) { async function af() {} function* g() {} }', 0).code).toBe('if (x) { async function af() {} function* g() {} }\n;void 0');
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

