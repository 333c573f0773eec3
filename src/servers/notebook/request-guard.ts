import { createHash, timingSafeEqual } from 'node:crypto';
import { isIP } from 'node:net';

// What every request to the notebook must show, as Jupyter learned it: the
// session's token (compared in constant time), and — against DNS rebinding,
// where a hostile page's own name resolves to 127.0.0.1 — a Host header that
// names this machine; the websocket also an Origin that is the notebook's own.

const digest = (text: string) => createHash('sha256').update(text).digest();

/** Whether `given` is the token; the time it takes does not depend on how much of it matched. */
export function tokenMatches(expected: string, given: string | null | undefined): boolean {
  if (typeof given !== 'string' || !expected) return false;
  // Hashed first: timingSafeEqual needs equal lengths, and the length must not leak either.
  return timingSafeEqual(digest(expected), digest(given));
}

const wildcards = new Set(['0.0.0.0', '::', '']);

/** `name:port` → its name (brackets of an IPv6 literal removed) and port, or undefined when malformed. */
function splitHost(host: string): { name: string; port: string } | undefined {
  const match = /^(\[[0-9a-fA-F:.]+\]|[^:[\]]+)(?::(\d+))?$/.exec(host);
  if (!match) return undefined;
  return { name: match[1]!.replace(/^\[|\]$/g, '').toLowerCase(), port: match[2] ?? '' };
}

/**
 * Whether a Host header names the notebook: `localhost`, an IP address, or the
 * name it was bound to (--host), with its port. Any other name may be an
 * attacker's, pointed at this machine.
 */
export function hostAllowed(host: string | undefined, port: number, boundHost: string): boolean {
  if (!host) return false;
  const parts = splitHost(host);
  if (!parts || parts.port !== String(port)) return false;
  if (parts.name === 'localhost' || isIP(parts.name) !== 0) return true;
  return !wildcards.has(boundHost) && parts.name === boundHost.toLowerCase();
}

/** Whether a websocket's Origin is the notebook's page itself (http, an allowed host, the port). */
export function originAllowed(origin: string | undefined, port: number, boundHost: string): boolean {
  if (!origin) return false;
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return false;
  }
  if (url.protocol !== 'http:' || url.pathname !== '/' || url.username || url.password) return false;
  return hostAllowed(url.host, port, boundHost);
}
