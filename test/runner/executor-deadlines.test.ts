import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ExecutorDeadlines, killGraceMs, type ExecutorProgress } from '../../src/runner/limits.js';

describe('ExecutorDeadlines', () => {
  beforeEach(() => vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] }));
  afterEach(() => vi.useRealTimers());

  const start = (timeout = 5000, progress: () => ExecutorProgress = () => undefined) => {
    const expired: [string, boolean][] = [];
    const deadlines = new ExecutorDeadlines({ timeout }, (why, timedOut) => expired.push([why, timedOut]), progress);
    return { deadlines, expired };
  };

  it('stops a block at its own limit plus the grace', () => {
    const { deadlines, expired } = start();
    deadlines.block(200);
    vi.advanceTimersByTime(200 + killGraceMs - 1);
    expect(expired).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(expired).toHaveLength(1);
    expect(expired[0]![1]).toBe(true);
  });

  it('moves the deadline on with each block: many blocks within the limit never expire', () => {
    const { deadlines, expired } = start(300);
    for (let i = 0; i < 50; i++) {
      deadlines.block(300);
      vi.advanceTimersByTime(100);
      deadlines.betweenBlocks();
    }
    expect(expired).toEqual([]);
    vi.advanceTimersByTime(300 + killGraceMs);
    expect(expired).toHaveLength(1);
    expect(expired[0]![0]).toMatch(/between blocks/);
    expect(expired[0]![1]).toBe(false);
  });

  it('an earlier deadline than the one armed fires on time', () => {
    const { deadlines, expired } = start(60_000);
    deadlines.betweenBlocks();
    deadlines.block(100);
    vi.advanceTimersByTime(100 + killGraceMs);
    expect(expired).toHaveLength(1);
    expect(expired[0]![0]).toMatch(/100 ms|0\.1 s/);
  });

  it('a later deadline than the one armed is waited for in full', () => {
    const { deadlines, expired } = start(100);
    deadlines.betweenBlocks();
    deadlines.block(10_000);
    vi.advanceTimersByTime(10_000 + killGraceMs - 1);
    expect(expired).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(expired).toHaveLength(1);
  });

  it('pause and clear disarm it', () => {
    const { deadlines, expired } = start(100);
    deadlines.block(100);
    deadlines.pause();
    vi.advanceTimersByTime(10 * killGraceMs);
    expect(expired).toEqual([]);
    deadlines.betweenBlocks();
    deadlines.clear();
    vi.advanceTimersByTime(10 * killGraceMs);
    expect(expired).toEqual([]);
  });

  describe('with an executor that tells of its blocks in batches (its register says more)', () => {
    it('a block the messages never told of is held to its own limit, counted from its start', () => {
      let record: ExecutorProgress;
      const { deadlines, expired } = start(60_000, () => record);
      deadlines.setShortestLimit(200);
      deadlines.betweenBlocks();
      vi.advanceTimersByTime(50);
      record = { at: performance.now(), blockMs: 200 }; // a block started, unannounced
      vi.advanceTimersByTime(200 + killGraceMs - 1);
      expect(expired).toEqual([]);
      vi.advanceTimersByTime(1 + 50);
      expect(expired).toHaveLength(1);
      expect(expired[0]![0]).toMatch(/Timed out after 200 ms/);
      expect(expired[0]![1]).toBe(true);
    });

    it('without news past the deadline it expires as before, and looks no more often than the shortest limit allows', () => {
      let looked = 0;
      const { deadlines, expired } = start(1000, () => void looked++);
      deadlines.setShortestLimit(1000);
      deadlines.betweenBlocks();
      vi.advanceTimersByTime(1000 + killGraceMs - 1);
      expect(looked).toBe(0);
      vi.advanceTimersByTime(1);
      expect(looked).toBe(1);
      expect(expired).toHaveLength(1);
      expect(expired[0]![0]).toMatch(/between blocks/);
    });

    it('a block that started since, under a longer limit, moves the deadline on', () => {
      let record: ExecutorProgress;
      const { deadlines, expired } = start(100, () => record);
      deadlines.betweenBlocks();
      vi.advanceTimersByTime(50);
      record = { at: performance.now(), blockMs: 5000 };
      vi.advanceTimersByTime(5000 + killGraceMs - 1);
      expect(expired).toEqual([]);
      vi.advanceTimersByTime(1);
      expect(expired).toHaveLength(1);
      expect(expired[0]![0]).toMatch(/Timed out after 5000 ms/);
    });
  });
});
