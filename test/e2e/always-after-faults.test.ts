import { describe, expect, it } from 'vitest';
import { docResult, fence, makeDocs, runJson } from '../support/cli.js';

// Whatever went wrong before it, every `always` block runs and gets its own
// status; the fault is reported once.
const always = (n: number) => fence('ts', `console.log('always ${n}')`, 'always');
const docs: Record<string, string> = {
  'rejection.md': `# Rejection\n\n${fence('ts', "void Promise.reject(new Error('rejected'))\nawait new Promise((resolve) => setTimeout(resolve, 50))")}\n${fence('ts', "console.log('skipped')")}\n${always(1)}\n${always(2)}`,
  'late-throw.md': `# Late throw\n\n${fence('ts', "setTimeout(() => { throw new Error('late') }, 0)")}\n${always(1)}\n${always(2)}`,
  // The output check waits for the supervisor's verdict: the timer fires between the blocks.
  'between.md': `# Between blocks\n\n${fence('ts', "setTimeout(() => { throw new Error('between') }, 0)\nconsole.log('x')")}\n\`\`\`text output\nx\n\`\`\`\n\n${always(1)}\n${always(2)}`,
  'waits.md': `# Waits\n\n${fence('ts', 'await new Promise(() => {})', 'timeout=300')}\n${always(1)}\n${always(2)}`,
  'spins.md': `# Spins\n\n${fence('ts', 'await null\nwhile (true) {}', 'timeout=300')}\n${always(1)}\n${always(2)}`,
};

describe('always blocks after any fault', () => {
  it('run, each with its own status, and the fault is reported once', { timeout: 60_000 }, async () => {
    const dir = makeDocs(docs);
    const { code, report } = await runJson(dir, Object.keys(docs), ['--no-stamp']);
    expect(code).toBe(1);
    const summary = (path: string) => {
      const doc = docResult(report, path);
      return { doc: doc.error?.message, blocks: doc.blocks.map((block) => [block.status, block.stdout || block.error?.message]) };
    };
    const ran = [
      ['passed', 'always 1\n'],
      ['passed', 'always 2\n'],
    ];
    expect(summary('rejection.md')).toEqual({ doc: undefined, blocks: [['failed', 'unhandled rejection: rejected'], ['not-run', undefined], ...ran] });
    expect(summary('late-throw.md')).toEqual({ doc: 'uncaught exception after the last block: late', blocks: [['passed', undefined], ...ran] });
    expect(summary('between.md')).toEqual({ doc: 'uncaught exception between blocks: between', blocks: [['passed', 'x\n'], ...ran] });
    expect(summary('waits.md')).toEqual({ doc: undefined, blocks: [['timed-out', 'Timed out after 300 ms. Raise it with the fence token timeout=MS, frontmatter timeout, or --timeout.'], ...ran] });
    expect(summary('spins.md').blocks.slice(1)).toEqual(ran);
    expect(summary('spins.md').blocks[0]![0]).toBe('timed-out');
  });
});
