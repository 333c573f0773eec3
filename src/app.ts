// What dist/runbook.cjs holds: the command line, the pool's worker, and the
// public API. scripts/build.mjs wraps it in ES modules (dist/index.js, the
// worker, bin/runbook.js) that load it through src/loader/load-bundle.ts.
export { cliMain } from './cli/main.js';
export { workerMain } from './runner/worker-main.js';
export { zodForDocs } from './engine/zod-for-docs.js';

/** The public API (src/public-api.ts), initialised on demand: the command line does not need all it loads. */
export const loadPublicApi = (): Promise<typeof import('./public-api.js')> => import('./public-api.js');
