import { describe, expect, it } from 'vitest';
import { compileBlock, compileParts } from '../../src/engine/compile.js';

// A block whose code starts on Markdown line 10, indented by 2 (inside a list item).
const at = (source: string, lang = 'ts') => ({ index: 3, lang, source, line: 10, indent: 2 });

describe('compileParts', () => {
  it('transpiles TypeScript and says whether the block awaits and which functions it declares', () => {
    const awaiting = compileParts(at('const n: number = await Promise.resolve(1)'), '/d/doc.md');
    expect(awaiting.isAsync).toBe(true);
    expect(awaiting.code).not.toContain(': number');
    // A plain block's functions are declared in the global scope, late-bound as in Node's REPL.
    const plain = compileParts(at('function twice(x: number) { return x * 2 }'), '/d/doc.md');
    expect([plain.isAsync, plain.globalFunctions]).toEqual([false, ['twice']]);
  });

  it('fails a block that does not parse with RUNBOOK_SYNTAX at its Markdown position', () => {
    let caught: unknown;
    try {
      compileParts(at('const ok = 1\nconst = 2'), '/d/doc.md');
    } catch (error) {
      caught = error;
    }
    expect(caught).toMatchObject({ code: 'RUNBOOK_SYNTAX', position: { line: 11 } });
    expect((caught as { position: { column: number } }).position.column).toBeGreaterThan(2);
  });
});

describe('compileBlock', () => {
  it('maps a position in the script back to the block’s Markdown line and column', () => {
    const compiled = compileBlock(at('const a = 1\nconst b: string = missing()'), '/d/doc.md');
    const line = compiled.code.split('\n').findIndex((text) => text.includes('missing('));
    const column = compiled.code.split('\n')[line]!.indexOf('missing(');
    expect(compiled.locate(line + 1, column + 1)).toEqual({ line: 11, column: 21 });
  });
});
