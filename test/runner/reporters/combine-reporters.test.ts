import { describe, expect, it } from 'vitest';
import type { RunEvents } from '../../../src/runner/events.js';
import { combineReporters } from '../../../src/runner/reporters/index.js';

describe('combineReporters', () => {
  it('calls each reporter that has the hook, in order, with the event', async () => {
    const calls: string[] = [];
    const events = combineReporters([
      { onDocStart: (doc) => void calls.push(`a ${doc.path}`) },
      {},
      { onDocStart: (doc) => void calls.push(`c ${doc.path}`) },
    ]);
    await events.onDocStart({ path: 'x.md', title: 'X', text: '', blocks: [] });
    await events.onBlockStart({ path: 'x.md', index: 0, timeoutMs: 1000 });
    expect(calls).toEqual(['a x.md', 'c x.md']);
  });

  it('settles once every reporter that answered with a promise has', async () => {
    let release = (): void => {};
    const slow = new Promise<void>((resolve) => (release = resolve));
    const reporters: RunEvents[] = [{ onRunEnd: () => slow }, { onRunEnd: () => undefined }];
    let settled = false;
    const done = Promise.resolve(combineReporters(reporters).onRunEnd({ docs: [], passed: 0, failed: 0, skipped: 0, notRun: 0, durationMs: 0 } as never)).then(() => (settled = true));
    await new Promise((resolve) => setImmediate(resolve));
    expect(settled).toBe(false);
    release();
    await done;
    expect(settled).toBe(true);
  });

  it('lets a reporter’s own error through to the caller', async () => {
    const events = combineReporters([{ onDocEnd: () => { throw new Error('report broke'); } }]);
    expect(() => events.onDocEnd({} as never)).toThrow('report broke');
    await expect(combineReporters([{ onRunEnd: async () => { throw new Error('late'); } }]).onRunEnd({} as never)).rejects.toThrow('late');
  });
});
