/**
 * What Node's REPL does with top-level code, as a table: the valid inputs of Node's own
 * test (test/parallel/test-repl-preprocess-top-level-await.js, with its duplicate and its
 * one SyntaxError left out), each with what a notebook must show for it. Written for our
 * suite from the public test's inputs; the expectations are JavaScript's semantics.
 */
export interface ReplCase {
  input: string;
  /** The block's completion value; a function stands as `function <name>`. */
  value?: unknown;
  /** Names the block declares, read in the next block (functions as `function <name>`). */
  declares?: Record<string, unknown>;
  /** Names that stay inside the block's own scopes. */
  absent?: string[];
  /** A block run first, giving the input what it reads. */
  given?: string;
}

const emoji = '"\u{1F601}\u{1f468}\u200d\u{1f469}\u200d\u{1f467}\u200d\u{1f466}"';
const emojiValue = JSON.parse(emoji) as string;
const iterating = (items: string) => `const asyncIterable = (async function* () { yield* ${items} })()`;

export const replCases: ReplCase[] = [
  { input: '0', value: 0 },
  { input: 'await 0', value: 0 },
  { input: `await ${emoji}`, value: emojiValue },
  { input: 'await 0;', value: 0 },
  { input: 'await 0;;;', value: 0 },
  { input: `await ${emoji};`, value: emojiValue },
  { input: '(await 0)', value: 0 },
  { input: `(await ${emoji})`, value: emojiValue },
  { input: '(await 0);', value: 0 },
  { input: `(await ${emoji});`, value: emojiValue },
  { input: 'async function foo() { await 0; }', declares: { foo: 'function foo' } },
  { input: 'async () => await 0', value: 'function ' },
  { input: 'class A { async method() { await 0 } }', declares: { A: 'function A' } },
  { input: `await ${emoji}; await ${emoji};`, value: emojiValue },
  { input: 'var a = await 1', declares: { a: 1 } },
  { input: `var a = await ${emoji}`, declares: { a: emojiValue } },
  { input: 'let a = await 1', declares: { a: 1 } },
  { input: 'const a = await 1', declares: { a: 1 } },
  { input: 'for (var i = 0; i < 1; ++i) { await i }', declares: { i: 1 } },
  { input: 'for (let i = 0; i < 1; ++i) { await i }', absent: ['i'] },
  { input: 'var {a} = {a:1}, [b] = [1], {c:{d}} = {c:{d: await 1}}', declares: { a: 1, b: 1, d: 1 }, absent: ['c'] },
  { input: 'let [a, b, c] = await ([1, 2, 3])', declares: { a: 1, b: 2, c: 3 } },
  { input: 'let {a,b,c} = await ({a: 1, b: 2, c: 3})', declares: { a: 1, b: 2, c: 3 } },
  { input: 'let {a: [b]} = {a: [await 1]}, [{d}] = [{d: 3}]', declares: { b: 1, d: 3 }, absent: ['a'] },
  { input: 'console.log(`${(await { a: 1 }).a}`)', value: undefined },
  { input: 'await 0; function foo() {}', declares: { foo: 'function foo' } },
  { input: 'await 0; class Foo {}', declares: { Foo: 'function Foo' } },
  { input: 'if (await true) { function foo() {} }', declares: { foo: 'function foo' } },
  { input: 'if (await true) { class Foo{} }', absent: ['Foo'] },
  { input: 'if (await true) { var a = 1; }', declares: { a: 1 } },
  { input: 'if (await true) { let a = 1; }', absent: ['a'] },
  { input: 'var a = await 1; let b = 2; const c = 3;', declares: { a: 1, b: 2, c: 3 } },
  { input: 'let o = await 1, p', declares: { o: 1, p: undefined } },
  { input: 'await (async () => { let p = await 1; return p; })()', value: 1, absent: ['p'] },
  { input: '{ let p = await 1; }', absent: ['p'] },
  { input: 'var p = await 1', declares: { p: 1 } },
  { input: 'await (async () => { var p = await 1; return p; })()', value: 1, absent: ['p'] },
  { input: '{ var p = await 1; }', declares: { p: 1 } },
  { input: 'for await (var i of asyncIterable) { i; }', given: iterating('[1, 2]'), declares: { i: 2 } },
  { input: 'for await (var [i] of asyncIterable) { i; }', given: iterating('[[1], [2]]'), declares: { i: 2 } },
  { input: 'for await (var {i} of asyncIterable) { i; }', given: iterating('[{ i: 1 }, { i: 2 }]'), declares: { i: 2 } },
  { input: 'for await (var [{i}, [j]] of asyncIterable) { i; }', given: iterating('[[{ i: 1 }, [2]]]'), declares: { i: 1, j: 2 } },
  { input: 'for await (let i of asyncIterable) { i; }', given: iterating('[1]'), absent: ['i'] },
  { input: 'for await (const i of asyncIterable) { i; }', given: iterating('[1]'), absent: ['i'] },
  { input: 'for (var i of [1,2,3]) { await 1; }', declares: { i: 3 } },
  { input: 'for (var [i] of [[1], [2]]) { await 1; }', declares: { i: 2 } },
  { input: 'for (var {i} of [{i: 1}, {i: 2}]) { await 1; }', declares: { i: 2 } },
  { input: 'for (var [{i}, [j]] of [[{i: 1}, [2]]]) { await 1; }', declares: { i: 1, j: 2 } },
  { input: 'for (let i of [1,2,3]) { await 1; }', absent: ['i'] },
  { input: 'for (const i of [1,2,3]) { await 1; }', absent: ['i'] },
  { input: 'for (var i in {x:1}) { await 1 }', declares: { i: 'x' } },
  { input: 'for (var [a,b] in {xy:1}) { await 1 }', declares: { a: 'x', b: 'y' } },
  { input: 'for (let i in {x:1}) { await 1 }', absent: ['i'] },
  { input: 'for (const i in {x:1}) { await 1 }', absent: ['i'] },
  { input: 'var x = await foo(); async function foo() { return Promise.resolve(1);}', declares: { x: 1, foo: 'function foo' } },
  { input: '(await x).y', given: 'const x = Promise.resolve({ y: 7 })', value: 7 },
  { input: 'await (await x).y', given: 'const x = { y: Promise.resolve(8) }', value: 8 },
  { input: 'var { ...rest } = await {}', declares: { rest: {} } },
];

/** Functions compare by name (`function foo`), everything else as it is. */
export const shown = (value: unknown): unknown => (typeof value === 'function' ? `function ${value.name}` : value);

/** The next block's check: an object of each declared name (functions by name) and whether each absent name is undeclared. */
export function checkBlock(testCase: ReplCase): string {
  const declared = Object.keys(testCase.declares ?? {}).map((name) => `${name}: typeof ${name} === 'function' ? 'function ' + ${name}.name : ${name}`);
  const absent = (testCase.absent ?? []).map((name) => `${JSON.stringify(name)}: typeof ${name}`);
  return `({ declared: { ${declared.join(', ')} }, absent: { ${absent.join(', ')} } })`;
}

export function expectedCheck(testCase: ReplCase): { declared: Record<string, unknown>; absent: Record<string, string> } {
  return { declared: testCase.declares ?? {}, absent: Object.fromEntries((testCase.absent ?? []).map((name) => [name, 'undefined'])) };
}
