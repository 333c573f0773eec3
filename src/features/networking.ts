import { createServer } from 'node:net';
import * as z from 'zod';
import { runbookError } from '../errors.js';
import { Feature } from '../container/feature.js';
import { lazy } from '../container/lazy.js';

const optionsSchema = lazy(() => z.object({}).strict());

const DEFAULT_HOST = '127.0.0.1';
const MAX_PORT = 65_535;

function checkPort(port: unknown, method: string, allowZero: boolean): asserts port is number {
  const min = allowZero ? 0 : 1;
  if (typeof port !== 'number' || !Number.isInteger(port) || port < min || port > MAX_PORT) {
    throw runbookError(
      'RUNBOOK_INVALID_ARGUMENT',
      `networking.${method}() needs a port number from ${min} to ${MAX_PORT}, got ${JSON.stringify(port) ?? String(port)} (${typeof port}).`,
    );
  }
}

// Binding is the only reliable test: connecting would miss ports held by a server that doesn't accept.
function tryBind(port: number, host: string): Promise<boolean> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EADDRINUSE' || error.code === 'EACCES') resolve(false);
      else reject(error);
    });
    server.listen({ port, host, exclusive: true }, () => server.close(() => resolve(true)));
  });
}

/**
 * Port helpers. Note that a port found free can be taken before you bind it:
 * where you can, let a server bind port 0 and read the port it got.
 */
export class Networking extends Feature {
  static override readonly featureName = 'networking';
  static override readonly kind = 'feature';
  static override readonly description = 'Port helpers: find a free port, check whether a port is free.';
  static override get optionsSchema() {
    return optionsSchema();
  }

  /** True when nothing listens on `port` at `host` (default 127.0.0.1). */
  async isPortAvailable(port: number, host: string = DEFAULT_HOST): Promise<boolean> {
    checkPort(port, 'isPortAvailable', false);
    return tryBind(port, host);
  }

  /** The first free port ≥ `start` (default 3000) on `host` (default 127.0.0.1). */
  async findOpenPort(start = 3000, host: string = DEFAULT_HOST): Promise<number> {
    checkPort(start, 'findOpenPort', false);
    for (let port = start; port <= MAX_PORT; port++) {
      if (await tryBind(port, host)) return port;
    }
    throw runbookError(
      'RUNBOOK_NO_FREE_PORT',
      `networking.findOpenPort(${start}) found no free port between ${start} and ${MAX_PORT} on ${host}. Try a lower start, or bind port 0 and let the system choose.`,
    );
  }
}
