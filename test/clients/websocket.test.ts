import { afterEach, describe, expect, it } from 'vitest';
import { createServer } from 'node:net';
import { createContainer } from '../../src/features/create-container.js';
import type { Container } from '../../src/container/container.js';
import type { WebsocketServer } from '../../src/servers/websocket.js';
import type { WebsocketClient } from '../../src/clients/websocket.js';
import type { IncomingRequest } from '../../src/protocol/ask-reply.js';

let container: Container;

afterEach(async () => {
  await container?.dispose();
});

// A port nobody listens on: bind one, note it, close it.
async function closedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as { port: number };
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

describe('websocket client', () => {
  it('fails to connect with the URL, the cause and what to check', async () => {
    container = createContainer();
    const port = await closedPort();
    const client = container.client<WebsocketClient>('websocket', { baseURL: `ws://127.0.0.1:${port}` });
    await expect(client.connect()).rejects.toThrow(
      `Cannot connect to ws://127.0.0.1:${port}: connect ECONNREFUSED 127.0.0.1:${port}. Check that the server is started and listening on that host and port.`,
    );
    expect(client.openResources()).toEqual([]);
  });

  it('needs a URL from connect() or baseURL', async () => {
    container = createContainer();
    const client = container.client<WebsocketClient>('websocket');
    await expect(client.connect()).rejects.toThrow(
      "client.connect() needs a ws:// or wss:// URL, got undefined. Pass one, or create the client with container.client('websocket', { baseURL: 'ws://localhost:PORT' }).",
    );
  });

  it('refuses to send before connecting, naming the state', async () => {
    container = createContainer();
    const client = container.client<WebsocketClient>('websocket', { baseURL: 'ws://127.0.0.1:1' });
    await expect(client.send({ a: 1 })).rejects.toThrow('client.send() needs an open connection (status: idle): call await client.connect() first.');
  });

  it('connects through localhost, is idempotent, reconnects after disconnect, and is open while connected', async () => {
    container = createContainer();
    const server = container.server<WebsocketServer>('websocket', { json: true });
    await server.start({ port: 0 });
    server.on('message', (message: IncomingRequest) => message.reply?.('pong'));
    const client = container.client<WebsocketClient>('websocket', { baseURL: `ws://localhost:${server.port}` });
    const [first, second] = await Promise.all([client.connect(), client.connect()]);
    expect(first).toBe(client);
    expect(second).toBe(client);
    expect(client.openResources()).toEqual(['client']);
    expect(await client.ask('ping')).toBe('pong');
    await client.disconnect();
    expect(client.openResources()).toEqual([]);
    await client.connect();
    expect(await client.ask('ping')).toBe('pong');
  });

  it('is the same instance for the same options', () => {
    container = createContainer();
    const a = container.client('websocket', { baseURL: 'ws://127.0.0.1:9' });
    expect(container.client('websocket', { baseURL: 'ws://127.0.0.1:9' })).toBe(a);
    expect(container.client('websocket', { baseURL: 'ws://127.0.0.1:10' })).not.toBe(a);
  });
});
