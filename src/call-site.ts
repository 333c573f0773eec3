// A promise that a feature rejects later — from a timer, a socket's message
// handler, an HTTP response — rejects with an error whose stack holds only
// runbook's own frames: the report would point at the doc's block, not at the
// line that made the call. So async APIs capture where they were called when
// the call is made, and append that stack to the error they reject with.

/** Where an async API was called. Its frames are only formatted if an error needs them. */
export interface CallSite {
  readonly stack?: string;
}

const appended = new WeakSet<object>();
const framesStart = '\n    at ';

/** Captures the caller's stack, leaving out `api` and every frame above it (runbook's own). */
export function captureCallSite(api: (...args: never[]) => unknown): CallSite {
  const site: CallSite = {};
  Error.captureStackTrace(site, api);
  return site;
}

function withFrames<T>(error: T, site: CallSite, keepOwn: boolean): T {
  if (typeof error !== 'object' || error === null || appended.has(error)) return error;
  const own = (error as { stack?: unknown }).stack;
  const frames = site.stack?.slice(site.stack.indexOf(framesStart));
  if (typeof own !== 'string' || !frames?.startsWith(framesStart)) return error;
  const ownEnd = own.indexOf(framesStart);
  try {
    (error as unknown as { stack: string }).stack = `${keepOwn || ownEnd === -1 ? own : own.slice(0, ownEnd)}${frames}`;
    appended.add(error);
  } catch {
    // A frozen error keeps its own stack.
  }
  return error;
}

/**
 * Gives an error runbook made away from the call (a timeout, an error answer)
 * the call site's frames instead of its own, and returns it.
 */
export function atCallSite<T>(error: T, site: CallSite): T {
  return withFrames(error, site, false);
}

/**
 * `promise`, whose rejection gets the call site's frames after its own: a
 * frame in the doc among its own (a doc callback that threw) still comes
 * first, and the call site is the fallback.
 */
export function withCallSite<T>(site: CallSite, promise: Promise<T>): Promise<T> {
  return promise.catch((error: unknown) => {
    throw withFrames(error, site, true);
  });
}
