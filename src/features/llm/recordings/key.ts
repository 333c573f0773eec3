import { createHash } from 'node:crypto';

/** The parts of a Chat Completions request that decide its answer; the rest (headers, ids) does not key it. */
export interface KeyedRequest {
  model?: unknown;
  messages?: unknown;
  tools?: unknown;
  response_format?: unknown;
  stream?: unknown;
}

/** Picks the keyed parts of a request body, in a fixed order. */
export function keyedPart(body: Record<string, unknown>): KeyedRequest {
  const { model, messages, tools, response_format, stream } = body;
  return { model, messages, tools, response_format, stream: stream === true };
}

/** JSON with object keys sorted, so key order never changes a hash. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, item: unknown) => {
    if (item && typeof item === 'object' && !Array.isArray(item)) {
      return Object.fromEntries(Object.entries(item).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
    }
    return item;
  });
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 32);
}

/** Exact key: any change in model, messages, tools, response format or streaming is a different request. */
export function requestKey(request: KeyedRequest): string {
  return sha256(canonicalJson(request));
}

// Tool results carry PIDs, timings and live output that differ on every run;
// the loose key ignores them so a replayed tool loop still finds its answers.
export function looseRequestKey(request: KeyedRequest): string {
  const messages = Array.isArray(request.messages)
    ? request.messages.map((message: unknown) =>
        message && typeof message === 'object' && (message as { role?: unknown }).role === 'tool'
          ? { ...(message as object), content: '(tool result)' }
          : message,
      )
    : request.messages;
  return sha256(canonicalJson({ ...request, messages }));
}
