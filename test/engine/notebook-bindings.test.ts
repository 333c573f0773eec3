import { describe, expect, it } from 'vitest';
import { hoistBlock } from '../../src/engine/hoist.js';
import { createNotebookBindings } from '../../src/engine/notebook-bindings.js';
import { blockRunner } from '../support/run-blocks.js';

const descriptorOf = (target: object, name: string) => Object.getOwnPropertyDescriptor(target, name);

describe('createNotebookBindings', () => {
  it('enter() makes lexical names uninitialized: reading and writing throw ReferenceError', () => {
    const global: Record<string, unknown> = { ReferenceError, TypeError, SyntaxError };
    const bindings = createNotebookBindings(global);
    bindings.enter(['a'], []);
    expect(() => global.a).toThrow(new ReferenceError("Cannot access 'a' before initialization"));
    expect(() => (global.a = 1)).toThrow(new ReferenceError("Cannot access 'a' before initialization"));
    expect(Object.keys(global)).not.toContain('a');
  });

  it('let initializes a plain configurable variable; const one that refuses assignment', () => {
    const global: Record<string, unknown> = { ReferenceError, TypeError, SyntaxError };
    const bindings = createNotebookBindings(global);
    bindings.enter(['a', 'k'], []);
    bindings.let.a = 1;
    bindings.const.k = 2;
    expect(descriptorOf(global, 'a')).toEqual({ value: 1, writable: true, enumerable: true, configurable: true });
    expect(global.k).toBe(2);
    expect(() => (global.k = 3)).toThrow(new TypeError('Assignment to constant variable.'));
    expect(descriptorOf(global, 'k')).toMatchObject({ enumerable: true, configurable: true });
  });

  it('a var keeps a value it had, becomes plain over a const, and is undefined over an uninitialized let', () => {
    const global: Record<string, unknown> = { ReferenceError, TypeError, SyntaxError, kept: 'old' };
    const bindings = createNotebookBindings(global);
    bindings.enter(['k', 'u'], []);
    bindings.const.k = 5;
    bindings.enter([], ['kept', 'k', 'u', 'fresh']);
    expect([global.kept, global.k, global.u, global.fresh]).toEqual(['old', 5, undefined, undefined]);
    global.k = 6;
    expect(global.k).toBe(6);
    expect('fresh' in global).toBe(true);
  });

  it('functions are published as plain variables', () => {
    const global: Record<string, unknown> = { ReferenceError, TypeError, SyntaxError };
    const bindings = createNotebookBindings(global);
    const f = () => 1;
    bindings.enter([], [], { f });
    expect(descriptorOf(global, 'f')).toEqual({ value: f, writable: true, enumerable: true, configurable: true });
  });

  it('a name that cannot be redefined is reported as JavaScript reports it', () => {
    const global: Record<string, unknown> = { ReferenceError, TypeError, SyntaxError };
    Object.defineProperty(global, 'fixed', { value: 1, configurable: false });
    const bindings = createNotebookBindings(global);
    expect(() => bindings.enter(['fixed'], [])).toThrow(new SyntaxError("Identifier 'fixed' has already been declared"));
  });

  it('names() lists what the doc bound; restore() puts back what was there and deletes the rest', () => {
    const lazy = { get: () => 'feature', set: () => {}, enumerable: true, configurable: true };
    const global: Record<string, unknown> = { ReferenceError, TypeError, SyntaxError, shadowed: 'host' };
    Object.defineProperty(global, 'ui', lazy);
    const bindings = createNotebookBindings(global);
    bindings.enter(['shadowed', 'mine'], ['ui', 'v']);
    bindings.let.shadowed = 'doc';
    bindings.const.mine = 1;
    bindings.enter(['ui'], []);
    bindings.let.ui = 'doc ui';
    expect(bindings.names()).toEqual(['shadowed', 'mine', 'v', 'ui']);
    bindings.restore();
    expect(global.shadowed).toBe('host');
    expect(descriptorOf(global, 'ui')).toEqual(lazy);
    expect('mine' in global || 'v' in global).toBe(false);
    expect(bindings.names()).toEqual([]);
  });
});

describe('a doc run with runInThisContext', () => {
  const doc = [
    'const c = 1; let l = 2; var v = 3; class K {}',
    'function f() { return c } for (var i = 0; i < 2; i++) {} if (true) { function g() {} }',
    'await 0; const { d, e: [w] } = { d: 1, e: [2] }; var x = await 4; function h() {}',
    "import { n } from 'm'",
  ];
  const names = ['c', 'l', 'v', 'K', 'f', 'i', 'g', 'd', 'w', 'x', 'h', 'n'];

  it('leaves no global behind and creates no property that cannot be deleted', async () => {
    const before = Object.getOwnPropertyNames(globalThis);
    const runner = blockRunner('main realm', { m: { n: 1 } });
    for (const [index, block] of doc.entries()) await runner.run(hoistBlock(block, index), index);
    for (const name of names) expect(descriptorOf(globalThis, name), name).toMatchObject({ configurable: true });
    expect(runner.bindings.names().sort()).toEqual([...names].sort());
    runner.close();
    expect(Object.getOwnPropertyNames(globalThis)).toEqual(before);
  });

  it('lets the next doc in the same realm declare the same names with any kind', async () => {
    const before = Object.getOwnPropertyNames(globalThis);
    for (const kinds of [doc, ['let c = 1; const l = 2; function v() {} class i {}', 'var K = 1; let f = 2; const g = 3']]) {
      const runner = blockRunner('main realm', { m: { n: 1 } });
      for (const [index, block] of kinds.entries()) await runner.run(hoistBlock(block, index), index);
      runner.close();
    }
    expect(Object.getOwnPropertyNames(globalThis)).toEqual(before);
  });
});
