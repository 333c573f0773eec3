import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import * as z from 'zod';
import type { ClientMessage, ServerMessage } from './notebook-protocol.js';
import { loadPageAssets, pageHtml } from './page-assets.js';
import { hostAllowed, originAllowed, tokenMatches } from './request-guard.js';

export const notebookServerOptionsSchema = z
  .object({
    /** Interface to bind. Default 127.0.0.1: only this machine can connect. */
    host: z.string().min(1).default('127.0.0.1'),
    /** Default 0: the system picks a free port. */
    port: z.number().int().min(0).max(65_535).default(0),
    /** The secret every request must carry (`?token=`). */
    token: z.string().min(16),
    /** The page's title until the doc arrives. */
    title: z.string().default('runbook'),
  })
  .strict();

export type NotebookServerOptions = z.input<typeof notebookServerOptionsSchema>;

/** What the server asks of the notebook behind it. */
export interface NotebookHandler {
  /** The messages a page that just connected gets first. */
  snapshot(): ServerMessage[];
  handle(message: ClientMessage): void;
}

export interface NotebookServer {
  /** The page's address, token included. */
  readonly url: string;
  readonly port: number;
  /** Sends a message to every open page. */
  broadcast(message: ServerMessage): void;
  close(): Promise<void>;
}

const clientMessageSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('run'), index: z.number().int().min(0) }),
  z.object({ type: z.literal('run-from'), index: z.number().int().min(0) }),
  z.object({ type: z.literal('run-all') }),
  z.object({ type: z.literal('restart') }),
  z.object({ type: z.literal('eval'), id: z.number().int(), code: z.string().max(1_000_000) }),
]);

// Nothing the page did not load itself: no framing, no referrer (the URL holds the token), no caching.
function securityHeaders(port: number): Record<string, string> {
  return {
    'Content-Security-Policy': `default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src ws://127.0.0.1:${port} ws://localhost:${port} 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'`,
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'Cache-Control': 'no-store',
  };
}

function refuse(response: ServerResponse, status: number, text: string): void {
  response.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' });
  response.end(`${text}\n`);
}

/**
 * The notebook's HTTP and websocket server: the page (HTML, script, styles)
 * and one websocket per page, nothing else. Every request needs the token and
 * a Host header naming this machine; the websocket also the page's own Origin.
 */
export async function startNotebookServer(input: NotebookServerOptions, handler: NotebookHandler): Promise<NotebookServer> {
  const options = notebookServerOptionsSchema.parse(input);
  const assets = loadPageAssets();
  const sockets = new WebSocketServer({ noServer: true, maxPayload: 2_000_000 });
  let port = 0;
  const allowed = (request: IncomingMessage): { ok: boolean; path: string } => {
    const url = new URL(request.url ?? '/', 'http://notebook');
    const ok = hostAllowed(request.headers.host, port, options.host) && tokenMatches(options.token, url.searchParams.get('token'));
    return { ok, path: url.pathname };
  };
  const server = createServer((request, response) => {
    const { ok, path } = allowed(request);
    if (!ok) return refuse(response, 403, 'Forbidden: open the URL runbook printed, with its token.');
    if (request.method !== 'GET') return refuse(response, 405, 'Method not allowed.');
    const pages: Record<string, [string, string]> = {
      '/': ['text/html; charset=utf-8', pageHtml(options.token, options.title)],
      '/notebook.js': ['text/javascript; charset=utf-8', assets.script],
      '/notebook.css': ['text/css; charset=utf-8', assets.styles],
    };
    const page = pages[path];
    if (!page) return refuse(response, 404, 'Not found.');
    response.writeHead(200, { 'Content-Type': page[0], ...securityHeaders(port) });
    response.end(page[1]);
  });
  server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    const { ok, path } = allowed(request);
    if (!ok || path !== '/ws' || !originAllowed(request.headers.origin, port, options.host)) {
      socket.end('HTTP/1.1 403 Forbidden\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    sockets.handleUpgrade(request, socket, head, (ws) => connect(ws));
  });
  const connect = (ws: WebSocket) => {
    for (const message of handler.snapshot()) ws.send(JSON.stringify(message));
    ws.on('message', (data) => {
      let parsed: z.ZodSafeParseResult<ClientMessage>;
      try {
        parsed = clientMessageSchema.safeParse(JSON.parse(String(data)));
      } catch {
        return;
      }
      if (parsed.success) handler.handle(parsed.data);
      else ws.send(JSON.stringify({ type: 'notice', level: 'error', text: `The page sent a request the notebook does not know: ${String(data).slice(0, 200)}` } satisfies ServerMessage));
    });
  };
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  port = (server.address() as AddressInfo).port;
  const shownHost = options.host.includes(':') ? `[${options.host}]` : options.host;
  return {
    url: `http://${shownHost}:${port}/?token=${encodeURIComponent(options.token)}`,
    port,
    broadcast: (message) => {
      const text = JSON.stringify(message);
      for (const client of sockets.clients) if (client.readyState === client.OPEN) client.send(text);
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const client of sockets.clients) client.terminate();
        sockets.close();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
