import { closeSync, fstatSync, openSync, readdirSync, readlinkSync, writeFileSync } from 'node:fs';
import { connect, createServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { identityChange, leftoverResources, snapshotDocState } from '../../../src/runner/executor/clean-state.js';

// The descriptors of this process open on its /proc status file.
const statusDescriptors = () =>
  readdirSync('/proc/self/fd').filter((fd) => {
    try {
      return /^\/proc\/\d+\/status$/.test(readlinkSync(`/proc/self/fd/${fd}`));
    } catch {
      return false;
    }
  });

describe('identityChange', () => {
  it('sees a changed umask, and a umask put back as unchanged', () => {
    const before = snapshotDocState();
    expect(identityChange(before)).toBeUndefined();
    const umask = process.umask(0o077);
    try {
      expect(identityChange(before)).toMatch(/umask/);
    } finally {
      process.umask(umask);
    }
    expect(identityChange(before)).toBeUndefined();
  });

  it('keeps one descriptor open for it, and a doc that closed it and took its number loses nothing', () => {
    const before = snapshotDocState();
    expect(identityChange(before)).toBeUndefined();
    const kept = statusDescriptors();
    expect(kept).toHaveLength(1);
    identityChange(before);
    expect(statusDescriptors()).toEqual(kept);
    // What a doc might do: close every descriptor it does not know, then open a file of its own.
    closeSync(Number(kept[0]));
    const file = join(tmpdir(), `runbook-identity-${process.pid}.txt`);
    writeFileSync(file, 'Uid:\t0\t0\t0\t0\n');
    const docs = openSync(file, 'r');
    try {
      expect(docs).toBe(Number(kept[0]));
      expect(identityChange(before)).toBeUndefined();
      expect(fstatSync(docs).isFile()).toBe(true); // still the doc's, not closed under it
      expect(identityChange(before)).toBeUndefined();
      expect(statusDescriptors()).toHaveLength(1);
    } finally {
      closeSync(docs);
    }
  });
});

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
