import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Deadlines } from '../../src/protocol/deadlines.js';

beforeEach(() => {
  vi.useFakeTimers();
});

afterEach(() => {
  vi.useRealTimers();
});

describe('Deadlines', () => {
  it('fires each deadline after its own duration, in order', async () => {
    const deadlines = new Deadlines();
    const fired: string[] = [];
    deadlines.add(100, () => fired.push('a100'));
    await vi.advanceTimersByTimeAsync(30);
    deadlines.add(100, () => fired.push('b100'));
    deadlines.add(50, () => fired.push('c50'));
    expect(deadlines.activeTimers).toBe(2);
    await vi.advanceTimersByTimeAsync(49);
    expect(fired).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(fired).toEqual(['c50']);
    await vi.advanceTimersByTimeAsync(20);
    expect(fired).toEqual(['c50', 'a100']);
    await vi.advanceTimersByTimeAsync(29);
    expect(fired).toEqual(['c50', 'a100']);
    await vi.advanceTimersByTimeAsync(1);
    expect(fired).toEqual(['c50', 'a100', 'b100']);
    expect(deadlines.activeTimers).toBe(0);
  });

  it('never fires cancelled deadlines, and holds no timer once all are cancelled', async () => {
    const deadlines = new Deadlines();
    const fired: number[] = [];
    const handles = Array.from({ length: 5 }, (_, i) => deadlines.add(100, () => fired.push(i)));
    handles[0]!.cancel();
    handles[3]!.cancel();
    handles[3]!.cancel();
    await vi.advanceTimersByTimeAsync(100);
    expect(fired).toEqual([1, 2, 4]);
    const more = [deadlines.add(10, () => fired.push(99)), deadlines.add(10, () => fired.push(98))];
    for (const handle of more.reverse()) handle.cancel();
    expect(deadlines.activeTimers).toBe(0);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('keeps firing later deadlines when entries are cancelled out of order in bulk', async () => {
    const deadlines = new Deadlines();
    const fired: number[] = [];
    const handles = Array.from({ length: 5000 }, (_, i) => deadlines.add(1000, () => fired.push(i)));
    for (let i = 0; i < 4999; i++) handles[i]!.cancel();
    await vi.advanceTimersByTimeAsync(1000);
    expect(fired).toEqual([4999]);
  });

  it('lets a callback add a deadline to the lane that is firing', async () => {
    const deadlines = new Deadlines();
    const fired: string[] = [];
    deadlines.add(10, () => {
      fired.push('first');
      deadlines.add(10, () => fired.push('second'));
    });
    await vi.advanceTimersByTimeAsync(10);
    expect(fired).toEqual(['first']);
    await vi.advanceTimersByTimeAsync(10);
    expect(fired).toEqual(['first', 'second']);
    expect(deadlines.activeTimers).toBe(0);
  });
});
