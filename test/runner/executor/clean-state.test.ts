import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { leftoverResources, snapshotDocState } from '../../../src/runner/executor/clean-state.js';

describe('leftoverResources', () => {
  // server.close(cb) calls back a loop turn before libuv drops the handle: a doc
  // whose last block awaited that has stopped its server.
  it('does not count a server whose close has called back', async () => {
    const before = snapshotDocState();
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    await new Promise((resolve) => server.close(resolve));
    expect(await leftoverResources(before)).toEqual([]);
  });

  it('counts a server that is still listening, one noun each', async () => {
    const before = snapshotDocState();
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      expect(await leftoverResources(before)).toEqual(['server']);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
