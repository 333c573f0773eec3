import { describe, expect, it } from 'vitest';
import type { RunEvents } from '../../src/runner/events.js';
import { heldEvents } from '../../src/runner/held-events.js';
import type { DocResult } from '../../src/runner/results.js';

describe('heldEvents', () => {
  const heard: string[] = [];
  const target: RunEvents = {
    onDocStart: (doc) => heard.push(`start ${doc.path}`),
    onBlockStart: (event) => heard.push(`block ${event.index}`),
    onBlockOutput: (event) => heard.push(`output ${event.text}`),
    onBlockEnd: (event) => heard.push(`end ${event.result.index}`),
    onDocEnd: (result) => heard.push(`done ${result.path}`),
  };

  it('holds a doc’s events until released, passes them on in order, then passes each as it comes', () => {
    heard.length = 0;
    const held = heldEvents(target);
    held.events.onDocStart?.({ path: 'a.md', title: 'A', text: '', blocks: [] });
    held.events.onBlockStart?.({ path: 'a.md', index: 0, timeoutMs: 1000 });
    held.events.onBlockOutput?.({ path: 'a.md', index: 0, stream: 'stdout', text: 'hi' });
    expect(heard).toEqual([]);
    held.release();
    expect(heard).toEqual(['start a.md', 'block 0', 'output hi']);
    held.events.onBlockEnd?.({ path: 'a.md', result: { index: 0 } as never });
    held.events.onDocEnd?.({ path: 'a.md' } as DocResult);
    expect(heard).toEqual(['start a.md', 'block 0', 'output hi', 'end 0', 'done a.md']);
  });

  it('a target without a hook is skipped, and a second release changes nothing', () => {
    heard.length = 0;
    const held = heldEvents({ onDocEnd: target.onDocEnd });
    held.events.onBlockStart?.({ path: 'b.md', index: 1, timeoutMs: 1000 });
    held.events.onDocEnd?.({ path: 'b.md' } as DocResult);
    held.release();
    held.release();
    expect(heard).toEqual(['done b.md']);
  });
});
