import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { createContainer } from '../../src/features/create-container.js';
import type { Container } from '../../src/container/container.js';
import type { WebsocketServer } from '../../src/servers/websocket.js';
import type { WebsocketClient } from '../../src/clients/websocket.js';
import type { IncomingRequest } from '../../src/protocol/ask-reply.js';

let container: Container;

afterEach(async () => {
  await container?.dispose();
});

async function startPair(serverOptions: object = { json: true }) {
  container = createContainer();
  const server = container.server<WebsocketServer>('websocket', serverOptions);
  await server.start({ port: 0 });
  const client = container.client<WebsocketClient>('websocket', { baseURL: `ws://127.0.0.1:${server.port}` });
  await client.connect();
  return { server, client };
}

function rawClient(port: number): Promise<WebSocket> {
  const socket = new WebSocket(`ws://127.0.0.1:${port}`);
  return new Promise((resolve, reject) => {
    socket.once('open', () => resolve(socket));
    socket.once('error', reject);
  });
}

const nextMessage = (socket: WebSocket) => new Promise<string>((resolve) => socket.once('message', (data) => resolve(data.toString())));

describe('websocket server', () => {
  it('binds 127.0.0.1 on port 0 and reports the port it got', async () => {
    const { server } = await startPair();
    expect(server.port).toBeGreaterThan(0);
    expect(server.isListening).toBe(true);
    expect(server.openResources()).toEqual(['server']);
    await server.stop();
    expect(server.port).toBeUndefined();
    expect(server.openResources()).toEqual([]);
  });

  it('answers a client ask, and rejects on replyError with the remote message', async () => {
    const { server, client } = await startPair();
    server.on('message', (message: IncomingRequest<{ a: number; b: number }>) => {
      if (message.type === 'add') message.reply({ sum: message.data.a + message.data.b });
      if (message.type === 'divide') message.replyError('division by zero');
    });
    await expect(client.ask('add', { a: 3, b: 4 })).resolves.toEqual({ sum: 7 });
    await expect(client.ask('divide', { a: 1, b: 0 })).rejects.toThrow("ask('divide') was answered with an error by the server: division by zero");
  });

  it('times out an unanswered ask after the given delay', async () => {
    const { client } = await startPair();
    const started = Date.now();
    await expect(client.ask('noop', {}, 200)).rejects.toThrow(
      "ask('noop') timed out after 200 ms: the server sent no reply. Make sure its handler calls reply() for 'noop' requests, or pass a longer timeout as the third argument.",
    );
    expect(Date.now() - started).toBeGreaterThanOrEqual(190);
  });

  it('asks a client, which answers with a plain replyTo message or reply()', async () => {
    const { server, client } = await startPair();
    client.on('message', (message: IncomingRequest) => {
      if (message.type === 'whoAreYou') void client.send({ replyTo: message.requestId, data: { name: 'test-client' } });
      if (message.type === 'echo') message.reply(message.data);
    });
    const [socket] = [...server.connections];
    await expect(server.ask(socket!, 'whoAreYou')).resolves.toEqual({ name: 'test-client' });
    await expect(server.ask(socket!, 'echo', [1, 2])).resolves.toEqual([1, 2]);
  });

  it('passes messages without requestId through unchanged, both ways', async () => {
    const { server, client } = await startPair();
    const got = new Promise<unknown>((resolve) => server.once('message', (message: unknown) => resolve(message)));
    await client.send({ type: 'ping', ts: 5 });
    expect(await got).toEqual({ type: 'ping', ts: 5 });
    const back = new Promise<unknown>((resolve) => client.once('message', (message: unknown) => resolve(message)));
    await server.broadcast({ type: 'news', n: 1 });
    expect(await back).toEqual({ type: 'news', n: 1 });
  });

  it('matches 100 concurrent asks answered out of order to their callers', async () => {
    const { server, client } = await startPair();
    const held: IncomingRequest<number>[] = [];
    server.on('message', (message: IncomingRequest<number>) => {
      held.push(message);
      if (held.length < 100) return;
      // Answer in a shuffled order, deterministic so a failure can be replayed.
      const order = held.map((request, i) => ({ request, key: (i * 37) % 100 })).sort((x, y) => x.key - y.key);
      for (const { request } of order) request.reply({ squared: request.data * request.data });
    });
    const answers = await Promise.all(Array.from({ length: 100 }, (_, i) => client.ask<{ squared: number }>('square', i)));
    expect(answers.map((answer) => answer.squared)).toEqual(Array.from({ length: 100 }, (_, i) => i * i));
  });

  it('passes non-JSON text frames through as strings instead of crashing', async () => {
    container = createContainer();
    const server = container.server<WebsocketServer>('websocket', { json: true });
    await server.start({ port: 0 });
    const received: unknown[] = [];
    server.on('message', (message: unknown, socket: WebSocket) => {
      received.push(message);
      if (received.length === 2) void server.send(socket, 'plain text back');
    });
    const socket = await rawClient(server.port!);
    const reply = nextMessage(socket);
    socket.send('not { json');
    socket.send(Buffer.from([1, 2, 3]));
    expect(await reply).toBe('"plain text back"');
    expect(received).toEqual(['not { json', Buffer.from([1, 2, 3])]);
    socket.terminate();
  });

  it('delivers raw strings when json is off, and refuses ask()', async () => {
    const { server, client } = await startPair({ json: false });
    const got = new Promise<unknown>((resolve) => server.once('message', (message: unknown) => resolve(message)));
    await client.send({ a: 1 });
    expect(await got).toBe('{"a":1}');
    await expect(server.ask([...server.connections][0]!, 'x')).rejects.toThrow(
      "server.ask() needs json mode: create the server with container.server('websocket', { json: true }).",
    );
  });

  it('rejects pending asks when the client disconnects', async () => {
    const { server, client } = await startPair();
    const [socket] = [...server.connections];
    const serverAsk = expect(server.ask(socket!, 'slow', {}, 5_000)).rejects.toThrow("ask('slow') got no reply: the client disconnected.");
    const clientAsk = expect(client.ask('slow', {}, 5_000)).rejects.toThrow("ask('slow') got no reply: the client disconnected.");
    await client.disconnect();
    await clientAsk;
    await serverAsk;
    await expect(client.ask('later')).rejects.toThrow("client.ask('later') needs an open connection (status: closed): call await client.connect() first.");
  });

  it('stop() rejects pending asks, terminates clients and closes promptly', async () => {
    const { server, client } = await startPair();
    const closed = new Promise<number>((resolve) => client.once('close', (code: number) => resolve(code)));
    const [socket] = [...server.connections];
    const serverAsk = expect(server.ask(socket!, 'slow', {}, 5_000)).rejects.toThrow("ask('slow') got no reply: the websocket server stopped.");
    const clientAsk = expect(client.ask('slow', {}, 5_000)).rejects.toThrow(/^ask\('slow'\) got no reply: the connection to ws:\/\/127\.0\.0\.1:\d+ closed\.$/);
    const started = Date.now();
    await server.stop();
    expect(Date.now() - started).toBeLessThan(500);
    await serverAsk;
    await clientAsk;
    expect(await closed).toBe(1006);
    expect(server.connections.size).toBe(0);
  });

  it('reports a busy port with what to do', async () => {
    const { server } = await startPair();
    const other = container.server<WebsocketServer>('websocket', { json: true, port: server.port });
    await expect(other.start()).rejects.toThrow(
      `Cannot start the websocket server on 127.0.0.1:${server.port}: the port is already in use. Start it with port 0 to get a free port, or pick one with networking.findOpenPort().`,
    );
    expect(other.openResources()).toEqual([]);
  });

  it('validates options with messages naming the feature, option, value and type', () => {
    container = createContainer();
    expect(() => container.server('websocket', { json: 'yes' })).toThrow(
      `Invalid options for server 'websocket': 'json' expected boolean, got "yes" (string).`,
    );
    expect(() => container.server('websocket', { prot: 1 })).toThrow(`Invalid options for server 'websocket': unknown option 'prot'.`);
    expect(() => container.client('websocket', { baseURL: 'http://x' })).toThrow(
      `Invalid options for client 'websocket': 'baseURL': expected a ws:// or wss:// URL, got "http://x" (string).`,
    );
  });

  it('container.dispose() closes the client before the server and reports both', async () => {
    const { server, client } = await startPair();
    const order: string[] = [];
    client.on('disposed', () => order.push('client'));
    server.on('disposed', () => order.push('server'));
    const report = await container.dispose();
    expect(order).toEqual(['client', 'server']);
    expect(report).toEqual({ cleaned: ['1 client', '1 server'], errors: [] });
    expect(server.isListening).toBe(false);
  });

  it('a server left with raw clients connected still stops promptly on dispose', async () => {
    container = createContainer();
    const server = container.server<WebsocketServer>('websocket');
    await server.start();
    const sockets = await Promise.all([rawClient(server.port!), rawClient(server.port!)]);
    const closed = Promise.all(sockets.map((socket) => new Promise((resolve) => socket.once('close', resolve))));
    const started = Date.now();
    const report = await container.dispose();
    await closed;
    expect(Date.now() - started).toBeLessThan(500);
    expect(report.cleaned).toEqual(['1 server']);
  });
});
