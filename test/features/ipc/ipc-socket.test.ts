import { mkdtempSync, rmSync, statSync, writeFileSync, existsSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Container } from '../../../src/container/container.js';
import type { IpcConnection } from '../../../src/features/ipc/ipc-connection.js';
import { IpcSocket } from '../../../src/features/ipc/ipc-socket.js';

let dir: string;
let container: Container;

function ipc(options: object = {}): IpcSocket {
  return container.feature<IpcSocket>('ipcSocket', options);
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'rb-ipc-'));
  container = new Container({ cwd: dir }).register(IpcSocket);
});

afterEach(async () => {
  await container.dispose();
  rmSync(dir, { recursive: true, force: true });
});

const next = (emitter: { once(event: string, fn: (...args: any[]) => void): unknown }, event: string): Promise<any[]> =>
  new Promise((resolve) => emitter.once(event, (...args) => resolve(args)));

describe('ipcSocket', () => {
  it('asks and replies in both directions, errors included; plain messages pass through', async () => {
    const server = await ipc().listen('app.sock');
    server.on('message', (message: any) => {
      if (message.type === 'add') message.reply({ sum: message.data.a + message.data.b });
      if (message.type === 'divide') message.replyError('division by zero');
    });
    const client = await ipc().connect('app.sock');
    client.on('message', (message: any) => {
      if (message.type === 'whoAreYou') message.reply({ name: 'client' });
    });
    expect(await client.ask('add', { a: 3, b: 4 })).toEqual({ sum: 7 });
    await expect(client.ask('divide', { a: 1, b: 0 })).rejects.toThrow(
      "ask('divide') was answered with an error by the server at " + join(dir, 'app.sock') + ': division by zero',
    );
    const [connection] = [...server.connections];
    expect(await server.ask(connection, 'whoAreYou')).toEqual({ name: 'client' });

    const plain = next(server, 'message');
    await client.send({ type: 'ping', n: 1 });
    const [message] = await plain;
    expect(message).toEqual({ type: 'ping', n: 1 });
  });

  it('creates the socket file with mode 0600 and removes it on dispose', async () => {
    const feature = ipc();
    await feature.listen('mode.sock');
    expect(statSync(join(dir, 'mode.sock')).mode & 0o777).toBe(0o600);
    expect(feature.openResources()).toEqual(['server']);
    await feature.dispose();
    expect(existsSync(join(dir, 'mode.sock'))).toBe(false);
  });

  it('reports a malformed line and keeps the connection', async () => {
    const server = await ipc().listen('m.sock');
    const raw = connect(join(dir, 'm.sock'));
    await next(raw, 'connect');
    const malformed = next(server, 'malformed');
    raw.write('{oops\n');
    const [frame] = await malformed;
    expect(frame.preview).toBe('{oops');
    const message = next(server, 'message');
    raw.write('{"type":"still-here"}\n');
    expect((await message)[0]).toEqual({ type: 'still-here' });
    raw.destroy();
  });

  it('closes the connection cleanly on an oversized frame, telling the peer why', async () => {
    const server = await ipc({ maxFrameBytes: 64 }).listen('big.sock');
    const client = await ipc().connect('big.sock');
    const oversized = next(server, 'oversized');
    const notice = next(client, 'message');
    const closed = next(client, 'close');
    await client.send({ pad: 'x'.repeat(100) });
    expect((await oversized)[0]).toEqual({ bytes: 110, limit: 64 });
    expect((await notice)[0]).toEqual({ type: 'protocolError', error: 'frame larger than 64 bytes; closing the connection' });
    expect((await closed)[0]).toEqual({ reason: `the connection to the server at ${join(dir, 'big.sock')} closed` });
    expect(server.isListening).toBe(true);
  });

  it('rejects pending asks when the connection closes', async () => {
    const server = await ipc().listen('p.sock');
    const client = await ipc().connect('p.sock');
    const pending = expect(client.ask('never', {})).rejects.toThrow(
      `ask('never') got no reply: the connection to the server at ${join(dir, 'p.sock')} closed.`,
    );
    await next(server, 'message');
    await server.close();
    await pending;
  });

  it('replaces a socket file nobody listens on', async () => {
    const path = join(dir, 'stale.sock');
    // A process killed with SIGKILL leaves its socket file behind.
    const child = spawn(process.execPath, ['-e', `require('net').createServer().listen(${JSON.stringify(path)}, () => console.log('up'))`]);
    await new Promise((resolve) => child.stdout.once('data', resolve));
    child.kill('SIGKILL');
    await new Promise((resolve) => child.once('exit', resolve));
    expect(existsSync(path)).toBe(true);
    const server = await ipc().listen('stale.sock');
    const client: IpcConnection = await ipc().connect('stale.sock');
    expect(client.isOpen).toBe(true);
    expect(server.isListening).toBe(true);
  });

  it('never takes the path of a live listener', async () => {
    await ipc().listen('live.sock');
    const other = new Container({ cwd: dir }).register(IpcSocket);
    await expect(other.feature<IpcSocket>('ipcSocket').listen('live.sock')).rejects.toThrow(
      `Cannot listen on ${join(dir, 'live.sock')}: another process is listening there. Connect to it as a client instead, or stop that process first.`,
    );
    await other.dispose();
    expect((await ipc().connect('live.sock')).isOpen).toBe(true);
  });

  it('refuses to delete a file that is not a socket', async () => {
    writeFileSync(join(dir, 'file.sock'), 'data');
    await expect(ipc().listen('file.sock')).rejects.toThrow(
      `Cannot listen on ${join(dir, 'file.sock')}: a file that is not a socket is in the way. Remove it yourself if it is not needed, or choose another path.`,
    );
  });

  it('says why a connect failed', async () => {
    await expect(ipc().connect('nobody.sock')).rejects.toThrow(
      `Cannot connect to ${join(dir, 'nobody.sock')}: no socket file exists there. Start the server first, or check the path.`,
    );
  });

  it('closes clients and servers on dispose and reports them as open before', async () => {
    const feature = ipc();
    const server = await feature.listen('d.sock');
    const client = await feature.connect('d.sock');
    expect(feature.openResources()).toEqual(['server', 'connection']);
    const report = await container.dispose();
    expect(report.cleaned).toEqual(['1 server', '1 connection']);
    expect(client.isOpen).toBe(false);
    expect(server.isListening).toBe(false);
  });
});
