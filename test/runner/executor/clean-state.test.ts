import { connect, createServer, type Socket } from 'node:net';
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

  // The executor's own messages queue up as write requests when the supervisor reads slowly.
  it('does not count writes still queued on a socket', async () => {
    let accepted: Socket | undefined;
    const server = createServer((socket) => {
      accepted = socket;
      socket.pause();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const client = connect((server.address() as { port: number }).port, '127.0.0.1');
    await new Promise((resolve) => client.once('connect', resolve));
    try {
      const before = snapshotDocState();
      for (let i = 0; i < 20; i++) client.write(Buffer.alloc(1 << 20));
      expect(process.getActiveResourcesInfo().some((type) => /WriteWrap/.test(type))).toBe(true);
      expect(await leftoverResources(before)).toEqual([]);
    } finally {
      client.destroy();
      accepted?.destroy();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
