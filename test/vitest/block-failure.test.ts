import { describe, expect, it } from 'vitest';
import { docFailure, failureError } from '../../src/vitest/block-failure.js';

describe('failureError', () => {
  it('puts the location, the message and the code frame in the message, and only the doc stack in the stack', () => {
    const error = failureError({
      message: 'boom',
      code: 'RUNBOOK_X',
      location: 'docs/a.md:3:7',
      frame: '> 3 | throw new Error("boom")',
      stack: 'Error: boom\n    at docs/a.md:3:7\n    at runbook.cjs:1:1',
    }) as Error & { code?: string };
    expect(error.message).toBe('docs/a.md:3:7 boom\n\n> 3 | throw new Error("boom")');
    expect(error.name).toBe('RunbookBlockFailed');
    expect(error.code).toBe('RUNBOOK_X');
    expect(error.stack).toBe('RunbookBlockFailed: docs/a.md:3:7 boom\n\n> 3 | throw new Error("boom")\n    at docs/a.md:3:7\n    at runbook.cjs:1:1');
  });

  it('keeps the name of a thrown TypeError', () => {
    expect(failureError({ message: 'x is not a function', name: 'TypeError' }).name).toBe('TypeError');
  });
});

describe('docFailure', () => {
  const doc = { path: 'docs/a.md', title: 'A', tags: [], status: 'failed' as const, durationMs: 0, blocks: [], cleanedUp: [], stamped: false, warnings: [] };
  it('names the doc when the error does not', () => {
    expect(docFailure({ ...doc, error: { message: 'left 1 server open' } })?.message).toBe('docs/a.md: left 1 server open');
    expect(docFailure({ ...doc, error: { message: 'docs/a.md: frontmatter is broken' } })?.message).toBe('docs/a.md: frontmatter is broken');
  });
  it('is undefined for a doc without an error of its own', () => {
    expect(docFailure(doc)).toBeUndefined();
  });
});
