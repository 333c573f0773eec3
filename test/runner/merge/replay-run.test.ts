import { describe, expect, it } from 'vitest';
import type { RunEvents } from '../../../src/runner/events.js';
import { replayRun } from '../../../src/runner/merge/replay-run.js';
import { syntheticRun } from '../reporters/synthetic-run.js';

describe('replayRun', () => {
  it('tells reporters of a finished run in the order of a live one, results only', async () => {
    const run = syntheticRun();
    const heard: string[] = [];
    const events: Required<RunEvents> = {
      onRunStart: (docs) => void heard.push(`run start: ${docs.join(', ')}`),
      onDocStart: (doc) => void heard.push(`doc start: ${doc.path}`),
      onBlockStart: (block) => void heard.push(`block start: ${block.index}`),
      onBlockOutput: (output) => void heard.push(`output: ${output.text}`),
      onBlockEnd: ({ path, result }) => void heard.push(`block end: ${path} ${result.number} ${result.status}`),
      onDocEnd: (doc) => void heard.push(`doc end: ${doc.path} ${doc.status}`),
      onRunEnd: async (result) => {
        await new Promise((resolve) => setTimeout(resolve, 5));
        heard.push(`run end: ${result === run}`);
      },
    };
    await replayRun(run, events);
    expect(heard).toEqual([
      'run start: docs/pass.md, docs/fail.md, docs/issue #4, 100%: odd\\name.md, docs/skip.md, docs/broken.md',
      'block end: docs/pass.md 1 passed',
      'block end: docs/pass.md 2 passed',
      'doc end: docs/pass.md passed',
      'block end: docs/fail.md 1 passed',
      'block end: docs/fail.md 2 failed',
      'block end: docs/fail.md 3 not-run',
      'block end: docs/fail.md 4 skipped',
      'doc end: docs/fail.md failed',
      'block end: docs/issue #4, 100%: odd\\name.md 1 failed',
      'block end: docs/issue #4, 100%: odd\\name.md 2 timed-out',
      'doc end: docs/issue #4, 100%: odd\\name.md failed',
      'doc end: docs/skip.md skipped',
      'doc end: docs/broken.md failed',
      'run end: true',
    ]);
  });
});
