import { describe, expect, it } from 'vitest';
import type { BlockResult } from '../../src/runner/results.js';
import { BlockPacer } from '../../src/vitest/block-pacer.js';

const result = (index: number, status: 'passed' | 'failed' = 'passed'): BlockResult => {
  const base = { index, number: index + 1, lang: 'ts', line: 1, durationMs: 0, stdout: '', stderr: '' };
  return status === 'passed' ? { ...base, status } : { ...base, status, error: { message: 'boom' } };
};
const settled = async <T>(promise: Promise<T>): Promise<T | 'pending'> => Promise.race([promise, new Promise<'pending'>((done) => setTimeout(() => done('pending'), 10))]);

describe('BlockPacer', () => {
  it('lets a block run only once its test started', async () => {
    const pacer = new BlockPacer();
    const gate = pacer.gate(2);
    expect(await settled(gate)).toBe('pending');
    pacer.start(2);
    expect(await gate).toBe('run');
    expect(await pacer.gate(1)).toBe('run');
  });

  it('runs the blocks before a started test too (vitest filtered their tests out)', async () => {
    const pacer = new BlockPacer();
    const first = pacer.gate(0);
    pacer.start(3);
    expect(await first).toBe('run');
  });

  it('quits blocks nobody asked for once the tests are over', async () => {
    const pacer = new BlockPacer();
    const waiting = pacer.gate(4);
    pacer.close();
    expect(await waiting).toBe('quit');
    expect(await pacer.gate(5)).toBe('quit');
  });

  it('hands each test its own block result, whichever comes first', async () => {
    const pacer = new BlockPacer();
    pacer.settle(result(0));
    const second = pacer.result(1);
    pacer.settle(result(1, 'failed'));
    expect((await pacer.result(0))?.status).toBe('passed');
    expect((await second)?.status).toBe('failed');
  });

  it('gives no result to tests whose block never reported, once the doc ended', async () => {
    const pacer = new BlockPacer();
    const waiting = pacer.result(2);
    pacer.end();
    expect(await waiting).toBeUndefined();
    expect(await pacer.result(3)).toBeUndefined();
  });
});
