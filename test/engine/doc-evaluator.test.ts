import { afterEach, describe, expect, it } from 'vitest';
import { compileParts } from '../../src/engine/compile.js';
import { DocEvaluator } from '../../src/engine/doc-evaluator.js';
import { createRuntime, type DocRuntime } from '../../src/engine/runtime.js';
import { RUNTIME } from '../../src/engine/runtime-name.js';

// The doc these blocks stand in: block 0's source starts on Markdown line 3, block 1's on line 7.
const text = ['# Doc', '```ts', 'const base = 40', '```', '', '```ts', 'await new Promise((r) => setTimeout(r, 1))', 'throw new Error(`at ${base + 2}`)', '```'].join('\n');
const block0 = { index: 0, lang: 'ts', source: 'const base = 40', line: 3, indent: 0 };
const block1 = { index: 1, lang: 'ts', source: 'await new Promise((r) => setTimeout(r, 1))\nthrow new Error(`at ${base + 2}`)', line: 7, indent: 0 };
const absolute = '/docs/evaluated.md';
const noLimit = { ms: 1000, expired: () => new Error('limit') };

let runtime: DocRuntime | undefined;
afterEach(() => {
  runtime?.bindings.restore();
  delete (globalThis as Record<string, unknown>)[RUNTIME];
  runtime = undefined;
});

function evaluatorFor(): DocEvaluator {
  runtime = createRuntime({ import: (specifier) => import(specifier), importMeta: { url: `file://${absolute}`, filename: absolute, dirname: '/docs' } });
  Object.defineProperty(globalThis, RUNTIME, { value: runtime, configurable: true });
  return new DocEvaluator({ displayPath: 'docs/evaluated.md', absolute, text, runtime });
}

describe('DocEvaluator', () => {
  it('runs blocks in this realm with shared names, and locates an error at its Markdown line', async () => {
    const evaluator = evaluatorFor();
    await evaluator.run(block0, compileParts(block0, absolute), noLimit);
    const error = await evaluator.run(block1, compileParts(block1, absolute), noLimit).catch((e: unknown) => e);
    expect((error as Error).message).toBe('at 42');
    const report = evaluator.report(error, { line: 7, lastLine: 8 });
    expect(report.location).toBe('docs/evaluated.md:8:7');
  });

  it('gives a block its value boxed: a promise it ends with is not awaited', async () => {
    const evaluator = evaluatorFor();
    const block = { index: 0, lang: 'ts', source: 'Promise.resolve(5)', line: 3, indent: 0 };
    const { value } = await evaluator.run(block, compileParts(block, absolute), noLimit);
    expect(value).toBeInstanceOf(Promise);
    expect(await value).toBe(5);
  });

  it('fails an async block that waits past its limit with the limit’s error, and ends the wait at an interrupt', async () => {
    const evaluator = evaluatorFor();
    const block = { index: 0, lang: 'ts', source: 'await new Promise(() => {})', line: 3, indent: 0 };
    const parts = compileParts(block, absolute);
    await expect(evaluator.run(block, parts, { ms: 20, expired: () => new Error('out of time') })).rejects.toThrow('out of time');
    const fault = new Error('a timer threw');
    await expect(evaluator.run(block, parts, { ms: 60_000, expired: () => new Error('out of time') }, Promise.reject(fault))).rejects.toBe(fault);
  });

  it('runs console input as a new block of the doc and locates its errors in the input', async () => {
    const evaluator = evaluatorFor();
    await evaluator.run(block0, compileParts(block0, absolute), noLimit);
    expect((await evaluator.runInput('base + 1', 1_000_000)).value).toBe(41);
    const error = await evaluator.runInput('null.x', 1_000_001).catch((e: unknown) => e);
    expect(evaluator.reportInput(error, 1_000_001, 'null.x').location).toBe('repl:1:6');
  });
});
