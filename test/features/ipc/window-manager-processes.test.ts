// windowManager across real processes: election, routing, failover after SIGKILL.
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { IpcServer } from '../../../src/features/ipc/ipc-server.js';
import { IpcLab, type Child, type Line } from './ipc-children.js';

const lab = new IpcLab();
beforeAll(() => lab.build());
afterEach(() => lab.cleanup());
afterAll(() => lab.cleanup(true));

const ready = (child: Child): Promise<Line> => child.waitFor((line) => line.event === 'ready', 6000, "'ready'");
const answered = (id: string) => (line: Line) => (line.event === 'ack' || line.event === 'rejected') && line.id === id;

async function appConnected(manager: Child, clientId: string): Promise<void> {
  for (let i = 0; i < 100; i++) {
    const before = manager.events('clients').length;
    manager.send({ cmd: 'clients' });
    await manager.waitForCount((line) => line.event === 'clients', before + 1);
    if (manager.events('clients')[before].clients.some((c: { clientId: string }) => c.clientId === clientId)) return;
    await new Promise((resolve) => setTimeout(resolve, 30));
  }
  throw new Error(`app '${clientId}' never connected`);
}

describe('windowManager across processes', () => {
  it('elects one broker among producers started at once, and routes each answer and event to its asker', async () => {
    const dir = lab.tempDir();
    const managers = Array.from({ length: 4 }, () => lab.windowManager(dir));
    const roles = (await Promise.all(managers.map(ready))).map((line) => line.role);
    expect(roles.filter((role) => role === 'broker')).toHaveLength(1);
    expect(roles.filter((role) => role === 'producer')).toHaveLength(3);
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    expect(statSync(join(dir, 'ipc-window.sock')).mode & 0o777).toBe(0o600);
    expect(statSync(join(dir, 'ipc-window-control.sock')).mode & 0o777).toBe(0o600);

    lab.app(dir, 'solo');
    await appConnected(managers[0], 'solo');
    managers.forEach((manager, m) => {
      for (let i = 0; i < 5; i++) manager.send({ cmd: 'spawn', id: `m${m}-${i}`, window: { tag: `m${m}-${i}`, closeAfterMs: 100, exitCode: m }, options: { timeout: 4000 } });
    });
    for (const [m, manager] of managers.entries()) {
      const acks = await manager.waitForCount((line) => line.event === 'ack', 5, 6000, 'acks');
      expect(manager.events('rejected')).toEqual([]);
      for (const line of acks) expect(line.ack.window.tag).toBe(line.id);
      const mine = acks.map((line) => line.ack.windowId).sort();
      const closed = await manager.waitForCount((line) => line.event === 'windowClosed', 5, 4000, 'windowClosed events');
      expect(closed.map((line) => line.windowId).sort()).toEqual(mine);
      const exited = await manager.waitForCount((line) => line.event === 'terminalExited', 5, 4000, 'terminalExited events');
      expect(exited.map((line) => [line.windowId, line.exitCode]).sort()).toEqual(mine.map((id) => [id, m]));
    }
    const allIds = managers.flatMap((manager) => manager.events('ack').map((line) => line.ack.windowId));
    expect(new Set(allIds).size).toBe(20);
    // Nobody hears about windows it did not open (give strays a moment to arrive).
    await new Promise((resolve) => setTimeout(resolve, 200));
    for (const manager of managers) expect(manager.events('windowClosed')).toHaveLength(5);
  });

  it('4 producers, an app that connects late and reconnects every 100 ms, the broker SIGKILLed mid-run: each request answered once, events only to their originator', async () => {
    const dir = lab.tempDir();
    const broker = lab.windowManager(dir);
    expect((await ready(broker)).role).toBe('broker');
    const producers = Array.from({ length: 4 }, () => lab.windowManager(dir));
    for (const producer of producers) expect((await ready(producer)).role).toBe('producer');
    const app = lab.app(dir, 'late', { reconnectMs: 100, startDelayMs: 400 });

    const perProducer = 12;
    const ids = producers.map((_, p) => Array.from({ length: perProducer }, (_, i) => `p${p}-${i}`));
    const sending = producers.map(async (producer, p) => {
      for (const id of ids[p]) {
        producer.send({ cmd: 'spawn', id, window: { tag: id, closeAfterMs: 300, exitCode: p }, options: { timeout: 8000 } });
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    });
    // Requests sent before the app came are queued; kill the broker while the rest are on their way.
    await app.waitForCount((line) => line.event === 'opened', 20, 5000, 'opened windows');
    broker.kill('SIGKILL');
    await Promise.all(sending);

    for (const [p, producer] of producers.entries()) {
      for (const id of ids[p]) await producer.waitFor(answered(id), 9000, `an answer to ${id}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
    for (const [p, producer] of producers.entries()) {
      expect(producer.events('rejected')).toEqual([]);
      const acks = producer.events('ack');
      expect(acks.map((line) => line.id).sort()).toEqual([...ids[p]].sort());
      for (const line of acks) expect(line.ack.window.tag).toBe(line.id);
    }
    const opened = app.events('opened').map((line) => line.requestId);
    expect(opened).toHaveLength(producers.length * perProducer);
    expect(new Set(opened).size).toBe(opened.length);
    expect(app.events('duplicate')).toEqual([]);
    expect(app.events('malformed')).toEqual([]);
    expect(app.events('disconnected').length).toBeGreaterThanOrEqual(1);
    expect(producers.map((producer) => producer.events('role').at(-1)?.role).filter((role) => role === 'broker')).toHaveLength(1);

    for (const [p, producer] of producers.entries()) {
      const mine = producer.events('ack').map((line) => line.ack.windowId).sort();
      const closed = await producer.waitForCount((line) => line.event === 'windowClosed', mine.length, 5000, 'windowClosed events');
      expect(closed.map((line) => line.windowId).sort()).toEqual(mine);
      const exited = await producer.waitForCount((line) => line.event === 'terminalExited', mine.length, 5000, 'terminalExited events');
      expect(exited.map((line) => [line.windowId, line.exitCode]).sort()).toEqual(mine.map((id) => [id, p]));
    }
    // Nobody hears about a window it did not open.
    await new Promise((resolve) => setTimeout(resolve, 200));
    for (const producer of producers) expect(producer.events('windowClosed')).toHaveLength(perProducer);
  });

  it('replaces the socket files and lock left by a broker killed with SIGKILL', async () => {
    const dir = lab.tempDir();
    const first = lab.windowManager(dir);
    expect((await ready(first)).role).toBe('broker');
    first.kill('SIGKILL');
    await first.exited;
    for (const file of ['ipc-window.sock', 'ipc-window-control.sock', 'ipc-window.lock']) expect(existsSync(join(dir, file))).toBe(true);

    const next = lab.windowManager(dir);
    expect((await ready(next)).role).toBe('broker');
    lab.app(dir, 'solo');
    await appConnected(next, 'solo');
    next.send({ cmd: 'spawn', id: 'after', window: { tag: 'after' }, options: { timeout: 3000 } });
    expect((await next.waitFor(answered('after'))).event).toBe('ack');
  });

  it('never unlinks the sockets of a live broker', async () => {
    const dir = lab.tempDir();
    const broker = lab.windowManager(dir);
    expect((await ready(broker)).role).toBe('broker');
    const app = lab.app(dir, 'solo');
    await appConnected(broker, 'solo');
    const inodes = ['ipc-window.sock', 'ipc-window-control.sock'].map((file) => statSync(join(dir, file)).ino);

    const newcomers = [lab.windowManager(dir), lab.windowManager(dir)];
    for (const newcomer of newcomers) expect((await ready(newcomer)).role).toBe('producer');
    await expect(IpcServer.listen(join(dir, 'ipc-window.sock'))).rejects.toThrow(
      `Cannot listen on ${join(dir, 'ipc-window.sock')}: another process is listening there. Connect to it as a client instead, or stop that process first.`,
    );
    expect(['ipc-window.sock', 'ipc-window-control.sock'].map((file) => statSync(join(dir, file)).ino)).toEqual(inodes);
    expect(app.events('disconnected')).toEqual([]);
    newcomers[1].send({ cmd: 'spawn', id: 'n', window: {}, options: { timeout: 3000 } });
    expect(await newcomers[1].waitFor(answered('n'))).toMatchObject({ event: 'ack' });
  });

  it('routes to the most recently connected app by default, and to targetClientId when given', async () => {
    const dir = lab.tempDir();
    const manager = lab.windowManager(dir);
    await ready(manager);
    const producer = lab.windowManager(dir);
    await ready(producer);
    lab.app(dir, 'left');
    await appConnected(manager, 'left');
    lab.app(dir, 'right');
    await appConnected(manager, 'right');

    producer.send({ cmd: 'spawn', id: 'default', window: {}, options: { timeout: 3000 } });
    producer.send({ cmd: 'spawn', id: 'to-left', window: {}, options: { timeout: 3000, targetClientId: 'left' } });
    producer.send({ cmd: 'spawn', id: 'to-nobody', window: {}, options: { timeout: 300, targetClientId: 'middle' } });
    expect((await producer.waitFor(answered('default'))).ack.clientId).toBe('right');
    expect((await producer.waitFor(answered('to-left'))).ack.clientId).toBe('left');
    expect((await producer.waitFor(answered('to-nobody'))).message).toBe(
      `The app 'middle' did not connect to ${join(dir, 'ipc-window.sock')} within 300 ms; the window request was not sent. Connected: 'left', 'right'. Pick one of those, leave targetClientId out, or pass spawn() a longer timeout.`,
    );
  });
});
