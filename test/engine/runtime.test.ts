import { describe, expect, it } from 'vitest';
import { createRuntime } from '../../src/engine/runtime.js';

const runtime = () => createRuntime({ import: async () => ({}), importMeta: { url: 'file:///d/doc.md', filename: '/d/doc.md', dirname: '/d' } });

describe('createRuntime', () => {
  it('gives a CommonJS package’s named exports from its default, as Node’s own interop does for a doc', () => {
    const namespace = { default: { readFile: 'r', join: 'j' }, join: 'named' };
    expect(runtime().withDefault(namespace)).toEqual({ readFile: 'r', join: 'named', default: namespace.default });
    expect(runtime().withDefault({ default: 5 })).toEqual({ default: 5 });
  });

  it('remembers where a non-Error was thrown, and lets Errors through untouched', () => {
    const doc = runtime();
    expect(doc.thrown(new Error('x'), 0, 10)).toBeInstanceOf(Error);
    expect(doc.lastThrow).toBeUndefined();
    expect(doc.thrown('text', 2, 7)).toBe('text');
    expect(doc.lastThrow).toEqual({ value: 'text', blockIndex: 2, offset: 7 });
  });
});
