// What dist/runbook.cjs holds: the command line, the executor, the public
// API and the vitest plugin with its runtime. scripts/build.mjs wraps it in
// entry files (dist/index.js, dist/executor.cjs, dist/vitest.js, bin/runbook.js)
// that load it through src/loader/load-bundle.ts.
// Each entry loads only its own part: the supervisor never initialises the
// executor's modules, nor the executor the command line's.
export { zodForDocs } from './engine/zod-for-docs.js';

/** Runs the command line this process was started with. */
export function cliMain(): void {
  void import('./cli/main.js').then((cli) => cli.cliMain());
}

/** Serves as an executor process; `saveCodeCache` is the loader's (see src/loader/load-bundle.ts). */
export function executorMain(saveCodeCache: () => void = () => {}): void {
  void import('./runner/executor/executor-main.js').then((executor) => executor.executorMain(saveCodeCache));
}

/** The public API (src/public-api.ts), initialised on demand: the command line does not need all it loads. */
export const loadPublicApi = (): Promise<typeof import('./public-api.js')> => import('./public-api.js');

/** `runbook/vitest`: the plugin, in the process that reads the vitest config. */
export const loadVitestPlugin = (): Promise<typeof import('./vitest/plugin.js')> => import('./vitest/plugin.js');

/** What the test modules the plugin generates call, in vitest's workers. */
export const loadVitestRuntime = (): Promise<typeof import('./vitest/doc-suite.js')> => import('./vitest/doc-suite.js');
