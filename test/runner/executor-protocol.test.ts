import { serialize } from 'node:v8';
import { describe, expect, it } from 'vitest';
import { parseRunbookText } from '../../src/markdown/parse.js';
import { openedBlocks, outputFence, wholeDoc, withOutput, type ExecutedBlock } from '../../src/runner/executor-protocol.js';

const text = [
  '# Setup',
  '',
  '## Greeting',
  '',
  '```ts',
  "console.log('hello')",
  '```',
  '',
  '```output',
  'hello',
  '```',
  '',
  '```sh',
  'echo shell',
  '```',
  '',
  '> ```ts',
  '> const quoted = 1',
  '>const tight = 2',
  '> ```',
].join('\n');

describe('the blocks a doc opens with, as the supervisor hears of them', () => {
  const doc = parseRunbookText(text, 'greeting.md');

  it('leave out the code of code and shell blocks and every block’s headings, and keep an output fence’s content', () => {
    const [code, output, shell] = openedBlocks(doc.blocks, false);
    expect(code).not.toHaveProperty('source');
    expect(shell).not.toHaveProperty('source');
    for (const block of [code, output, shell]) expect(block).not.toHaveProperty('sections');
    expect(outputFence(output!).source).toBe('hello');
    // Everything else a report, a location or a write-back needs is there.
    expect(code).toMatchObject({ index: 0, number: 1, lang: 'ts', kind: 'code', fenceLine: 5, line: 6, expectedOutput: 1 });
    expect(code!.tokens).toEqual(doc.blocks[0]!.tokens);
    // Every other field a block has is there: one added to Block must be added to the outline too.
    expect(doc.blocks[3]!.lineIndents).toBeDefined();
    const fields = (block: object) => Object.keys(block).filter((key) => key !== 'source' && key !== 'sections').sort();
    openedBlocks(doc.blocks, false).forEach((block, i) => expect(fields(block)).toEqual(fields(doc.blocks[i]!)));
    // Fences without tokens share one object: the message carries it once.
    expect(code!.tokens).toBe(shell!.tokens);
    expect(output!.tokens).toMatchObject({ output: true });
    expect(output).toMatchObject({ kind: 'output', expectedOutputOf: 0, start: doc.blocks[1]!.start, end: doc.blocks[1]!.end });
  });

  it('are whole when the supervisor shows them (--step, --console)', () => {
    const whole = openedBlocks(doc.blocks, true);
    expect(whole).toEqual(doc.blocks);
    expect(wholeDoc({ title: doc.title, tags: [], text, blocks: whole }).blocks[0]!.source).toBe("console.log('hello')");
  });

  it('refuse to pass as whole when their code was left out', () => {
    expect(() => wholeDoc({ title: doc.title, tags: [], text, blocks: openedBlocks(doc.blocks, false) })).toThrow(/left the blocks’ code out/);
    const { source: _source, ...withoutContent } = doc.blocks[1]!;
    expect(() => outputFence(withoutContent)).toThrow(/output fence at line 9/);
  });

  it('keep a long doc’s opening message smaller by at least all of its code', () => {
    const long = parseRunbookText(Array.from({ length: 200 }, (_, i) => `## Step ${i}\n\n\`\`\`ts\nconst value${i} = ${i} * 2\nconsole.log(value${i})\n\`\`\`\n`).join('\n'), 'long.md');
    const size = (whole: boolean) => serialize({ text: long.text, blocks: openedBlocks(long.blocks, whole) }).length;
    const code = long.blocks.reduce((sum, block) => sum + block.source.length, 0);
    expect(size(true) - size(false)).toBeGreaterThan(code);
  });
});

describe('withOutput: a reported block with the output the supervisor read', () => {
  const base = { index: 2, number: 1, lang: 'ts', line: 5, durationMs: 3 };
  const output = { stdout: 'out\n', stderr: '' };

  it('keeps the executor’s key order, output last, and only the fields its status has', () => {
    const passed = withOutput({ ...base, status: 'passed', value: '42', reason: 'stray' } as ExecutedBlock, output);
    expect(JSON.stringify(passed)).toBe('{"index":2,"number":1,"lang":"ts","line":5,"durationMs":3,"status":"passed","value":"42","stdout":"out\\n","stderr":""}');
    const failed = withOutput({ ...base, status: 'failed', error: { message: 'boom' } }, output);
    expect(Object.keys(failed)).toEqual(['index', 'number', 'lang', 'line', 'durationMs', 'status', 'error', 'stdout', 'stderr']);
    expect(withOutput({ ...base, status: 'skipped', reason: 'skip token' }, output)).toMatchObject({ status: 'skipped', reason: 'skip token' });
  });

  it('fills what a broken executor left out: a failure’s error, a skip’s reason', () => {
    expect(withOutput({ ...base, status: 'timed-out' } as ExecutedBlock, output)).toMatchObject({ error: { message: 'block 1 timed-out, and its executor sent no error' } });
    expect(withOutput({ ...base, status: 'not-run' } as ExecutedBlock, output)).toMatchObject({ reason: '' });
  });
});
