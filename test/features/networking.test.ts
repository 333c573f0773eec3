import { createServer, type Server } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createContainer } from '../../src/features/create-container.js';
import type { Networking } from '../../src/features/networking.js';

const networking = createContainer().feature<Networking>('networking');
const servers: Server[] = [];

afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
});

async function listen(port = 0): Promise<number> {
  const server = createServer();
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return (server.address() as { port: number }).port;
}

describe('networking', () => {
  it('tells a taken port from a free one', async () => {
    const taken = await listen();
    expect(await networking.isPortAvailable(taken)).toBe(false);
    await new Promise((resolve) => servers.pop()!.close(resolve));
    expect(await networking.isPortAvailable(taken)).toBe(true);
  });

  it('findOpenPort skips taken ports', async () => {
    const taken = await listen();
    const found = await networking.findOpenPort(taken);
    expect(found).toBeGreaterThan(taken);
    expect(await networking.isPortAvailable(found)).toBe(true);
  });

  it('validates ports', async () => {
    await expect(networking.findOpenPort(70000)).rejects.toThrow('networking.findOpenPort() needs a port number from 1 to 65535, got 70000 (number).');
    await expect(networking.isPortAvailable('80' as unknown as number)).rejects.toThrow('networking.isPortAvailable() needs a port number from 1 to 65535, got "80" (string).');
  });
});
