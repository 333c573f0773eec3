import { randomUUID } from 'node:crypto';

// Set by scripts/build.mjs to a hash of the sources the bundle was built from.
declare const __RUNBOOK_BUILD_ID__: string | undefined;

/**
 * Identifies the code that compiled a cached doc: a cache entry made by another
 * build is never used. Unbundled (tests running src/), every process is a build
 * of its own: its entries are kept in memory, never taken from disk.
 */
export const buildId: string = typeof __RUNBOOK_BUILD_ID__ === 'string' ? __RUNBOOK_BUILD_ID__ : `unbundled-${randomUUID()}`;
