import { describe, expect, it } from 'vitest';
import { compileBlock } from '../../src/engine/compile.js';
import { blockFilename, reportError } from '../../src/engine/error-report.js';

const text = ['# Doc', '', '```ts', 'const a = 1', 'throw new TypeError("bad")', '```'].join('\n');
const block = { index: 0, lang: 'ts', source: 'const a = 1\nthrow new TypeError("bad")', line: 4, indent: 0 };
const compiled = new Map([[0, compileBlock(block, '/d/doc.md')]]);
const sources = { displayPath: 'doc.md', text, scriptPrefix: '/d/doc.md', compiled };

describe('reportError', () => {
  it('maps a frame of a block script to the Markdown line, keeps name and code, and frames the line', () => {
    const error = Object.assign(new TypeError('bad'), { code: 'E_BAD' });
    // The stack as V8 writes it for the block's script (line 2 of the script is the throw).
    error.stack = `TypeError: bad\n    at ${blockFilename('/d/doc.md', 0)}:2:7\n    at node:internal/process/task_queues:95:5`;
    const report = reportError(error, sources);
    expect(report).toMatchObject({ message: 'bad', name: 'TypeError', code: 'E_BAD', location: 'doc.md:5:7', line: 5, column: 7 });
    expect(report.frame).toContain('> 5 | throw new TypeError("bad")');
    expect(report.stack ?? '').not.toContain('node:internal');
  });

  it('says what a thrown non-Error was, and falls back to the running block’s first line', () => {
    const report = reportError('just a string', { ...sources, block: { line: 4, lastLine: 5 } });
    expect(report.message).toBe("threw a non-Error value: 'just a string'");
    expect(report.location).toBe('doc.md:4:1');
  });

  it('uses a position the error carries (a syntax error) over its stack', () => {
    const report = reportError(Object.assign(new Error('Unexpected token'), { position: { line: 4, column: 9 } }), sources);
    expect(report.location).toBe('doc.md:4:9');
  });
});
