import { chmodSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Container } from '../../../src/container/container.js';
import { defaultSocketDir } from '../../../src/features/ipc/ipc-paths.js';
import type { IpcConnection } from '../../../src/features/ipc/ipc-connection.js';
import { IpcSocket } from '../../../src/features/ipc/ipc-socket.js';
import { WindowManager } from '../../../src/features/ipc/window-manager.js';

let dir: string;
const containers: Container[] = [];

function newContainer(): Container {
  const container = new Container({ cwd: dir }).register(WindowManager).register(IpcSocket);
  containers.push(container);
  return container;
}

function manager(options: object = { socketDir: dir }): WindowManager {
  return newContainer().feature<WindowManager>('windowManager', options);
}

// A minimal app in this process: acks every request with w1, w2, …
async function fakeApp(clientId = 'fake'): Promise<IpcConnection> {
  const connection = await newContainer().feature<IpcSocket>('ipcSocket').connect(join(dir, 'ipc-window.sock'));
  let count = 0;
  connection.on('message', (message: { type: string; requestId: string }) => {
    if (message.type === 'windowRequest') void connection.send({ type: 'windowAck', requestId: message.requestId, windowId: `${clientId}-w${++count}` });
  });
  await connection.send({ type: 'hello', clientId, labels: {} });
  return connection;
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'rb-wmu-'));
});

afterEach(async () => {
  for (const container of containers.splice(0).reverse()) await container.dispose();
  rmSync(dir, { recursive: true, force: true });
});

describe('windowManager in one process', () => {
  it('rejects spawn at its deadline, naming the socket and the wait, when no app connects, as broker and as producer', async () => {
    const broker = await manager().start();
    const producer = await manager({ socketDir: dir, electionTimeoutMs: 2000 }).start();
    expect([broker.role, producer.role]).toEqual(['broker', 'producer']);
    const message = (ms: number): string =>
      `No app connected to ${join(dir, 'ipc-window.sock')} within ${ms} ms; the window request was not sent. Start the app (or a stand-in) pointed at that socket, or pass spawn() a longer timeout.`;
    const started = Date.now();
    await expect(broker.spawn({ url: 'https://example.com' }, { timeout: 300 })).rejects.toThrow(message(300));
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    await expect(producer.spawn({ url: 'https://example.com' }, { timeout: 200 })).rejects.toThrow(message(200));
  });

  it('queues requests while no app is connected and sends them in order to the app that connects', async () => {
    await manager().start();
    const producer = await manager({ socketDir: dir, electionTimeoutMs: 2000 }).start();
    const spawns = ['a', 'b', 'c'].map((title) => producer.spawn({ title }, { timeout: 3000 }));
    await new Promise((resolve) => setTimeout(resolve, 300));
    await fakeApp('late');
    expect((await Promise.all(spawns)).map((ack) => ack.windowId)).toEqual(['late-w1', 'late-w2', 'late-w3']);
  });

  it('sends a requestId to the app once: a re-sent one joins the first, and an ack replayed in hello answers it', async () => {
    const broker = await manager().start();
    const seen: string[] = [];
    const app = await newContainer().feature<IpcSocket>('ipcSocket').connect(broker.appSocketPath);
    const replayed = { type: 'windowAck', requestId: 'r-old', windowId: 'w-old' };
    await app.send({ type: 'hello', clientId: 'slow', labels: {}, recentAcks: [replayed] });
    app.on('message', (message: { type: string; requestId: string }) => {
      seen.push(message.requestId);
      if (message.type === 'windowRequest') setTimeout(() => void app.send({ type: 'windowAck', requestId: message.requestId, windowId: 'w-new' }), 100);
    });
    await broker.waitForApp({ clientId: 'slow' });
    const ask = async (requestId: string): Promise<unknown> => {
      const producer = await newContainer().feature<IpcSocket>('ipcSocket').connect(broker.controlSocketPath);
      return producer.ask('windowRequest', { requestId, window: {}, timeoutMs: 2000 });
    };
    const answers = await Promise.all([ask('r-new'), ask('r-new'), ask('r-old')]);
    expect(answers).toEqual([
      { ack: { type: 'windowAck', requestId: 'r-new', windowId: 'w-new' } },
      { ack: { type: 'windowAck', requestId: 'r-new', windowId: 'w-new' } },
      { ack: replayed },
    ]);
    expect(await ask('r-new')).toEqual({ ack: { type: 'windowAck', requestId: 'r-new', windowId: 'w-new' } });
    expect(seen).toEqual(['r-new']);
  });

  it('delivers window events only to the process that opened the window', async () => {
    const broker = await manager().start();
    const producer = await manager({ socketDir: dir, electionTimeoutMs: 2000 }).start();
    const app = await fakeApp();
    await broker.waitForApp({ clientId: 'fake' });
    const fromBroker = await broker.spawn({ title: 'a' }, { timeout: 2000 });
    const fromProducer = await producer.spawn({ title: 'b' }, { timeout: 2000 });
    expect([fromBroker.windowId, fromProducer.windowId]).toEqual(['fake-w1', 'fake-w2']);

    const seen: string[] = [];
    broker.on('windowClosed', (event) => seen.push(`broker:${event.windowId}`));
    producer.on('windowClosed', (event) => seen.push(`producer:${event.windowId}`));
    producer.on('terminalExited', (event) => seen.push(`producer:exit:${event.exitCode}`));
    await app.send({ type: 'terminalExited', windowId: 'fake-w2', exitCode: 3 });
    await app.send({ type: 'windowClosed', windowId: 'fake-w2' });
    await app.send({ type: 'windowClosed', windowId: 'fake-w1' });
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(seen.sort()).toEqual(['broker:fake-w1', 'producer:exit:3', 'producer:fake-w2']);
  });

  it('prefers apps that said hello over a newer stray connection (e.g. a liveness probe)', async () => {
    const broker = await manager().start();
    await fakeApp('real');
    await broker.waitForApp({ clientId: 'real' });
    await newContainer().feature<IpcSocket>('ipcSocket').connect(broker.appSocketPath);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect((await broker.clients()).length).toBe(2);
    expect((await broker.spawn({}, { timeout: 2000 })).windowId).toBe('real-w1');
  });

  it('hands over when the broker is disposed: lock released, its socket files removed, producer takes over', async () => {
    const broker = await manager().start();
    const producer = await manager({ socketDir: dir, electionTimeoutMs: 2000 }).start();
    expect(broker.openResources()).toEqual(['server', 'server']);
    expect(producer.openResources()).toEqual(['connection']);
    const roles: string[] = [];
    producer.on('roleChanged', (role: string) => roles.push(role));
    await broker.dispose();
    await producer.start();
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(roles).toEqual(['broker']);
    expect(producer.role).toBe('broker');
    await fakeApp('second');
    expect((await producer.spawn({}, { timeout: 2000 })).windowId).toBe('second-w1');
    await producer.dispose();
    expect(readdirSync(dir)).toEqual([]);
  });

  it('creates its default folder with mode 0700 and honours RUNBOOK_IPC_DIR', async () => {
    expect(defaultSocketDir({ RUNBOOK_IPC_DIR: '/x/y' })).toBe('/x/y');
    expect(defaultSocketDir({ XDG_RUNTIME_DIR: '/run/user/7' })).toBe('/run/user/7/runbook');
    expect(defaultSocketDir({})).toBe(join(tmpdir(), `runbook-${process.getuid!()}`));
    const nested = join(dir, 'made-here');
    const wm = await manager({ socketDir: nested }).start();
    expect(wm.appSocketPath).toBe(join(nested, 'ipc-window.sock'));
    expect(wm.controlSocketPath).toBe(join(nested, 'ipc-window-control.sock'));
  });

  it('refuses a socket folder other users can enter', async () => {
    const open = join(dir, 'open');
    mkdirSync(open);
    chmodSync(open, 0o755);
    await expect(manager({ socketDir: open }).start()).rejects.toThrow(
      `Socket folder ${open} is open to other users (mode 0755). Run chmod 700 ${open}, or point socketDir (or RUNBOOK_IPC_DIR) at a private folder you own.`,
    );
  });

  it('validates its options and spawn arguments', async () => {
    expect(() => manager({ socketDir: 42 })).toThrow("Invalid options for feature 'windowManager': 'socketDir' expected string, got 42 (number).");
    const wm = manager();
    await expect(wm.spawn('open' as never)).rejects.toThrow('windowManager.spawn() needs a window description object, got "open".');
    await expect(wm.spawn({}, { timeout: -1 })).rejects.toThrow("Invalid options for windowManager.spawn(): 'timeout': Too small: expected number to be >0, got -1 (number).");
  });
});
