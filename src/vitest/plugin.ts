import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Plugin } from 'vitest/config';
import { localImports } from '../runner/local-imports.js';
import type { RunOptions } from '../runner/run-options.js';
import { parsePluginOptions, resolveRunOptions, type RunbookVitestOptions } from './plugin-options.js';
import { docTestModule } from './test-module.js';

export type { RunbookVitestOptions } from './plugin-options.js';

// dist/vitest-runtime.js beside the bundle; from the sources (tests), the built one of this checkout.
function runtimeModule(): string {
  const beside = fileURLToPath(new URL('./vitest-runtime.js', import.meta.url));
  if (existsSync(beside)) return beside;
  return join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'dist', 'vitest-runtime.js');
}

/** Which docs import which local files, for vitest's watch mode. */
export class DocDependents {
  readonly #docsOf = new Map<string, Set<string>>();

  /** Records what `doc` imports now, replacing what it imported before; returns those files. */
  update(doc: string): string[] {
    for (const docs of this.#docsOf.values()) docs.delete(doc);
    const files = localImports(doc).filter((file) => file !== doc);
    for (const file of files) {
      let docs = this.#docsOf.get(file);
      if (!docs) this.#docsOf.set(file, (docs = new Set()));
      docs.add(doc);
    }
    return files;
  }

  /** The docs to run again when `file` changed, or undefined when no doc imports it. */
  docsOf(file: string): string[] | undefined {
    const docs = this.#docsOf.get(resolve(file));
    return docs?.size ? [...docs] : undefined;
  }
}

/**
 * The runbook plugin for vitest: every test file matching `include` (default
 * `.md`) becomes a test module, a `describe` per doc and a test per block, run
 * as `runbook run` runs it. In vitest.config.ts:
 * `plugins: [runbook()]`, `test: { include: ['docs/**\/*.md'] }`.
 *
 * Options (each wins over runbook.config.*): `configFile` (default the nearest
 * runbook.config.* from vitest's root; `false` for none), `timeout`,
 * `docTimeout`, `evalMode`, `onlySections`, `llm`, `env`, `strictLeaks`,
 * `[stamp=false]`, `[update=false]`, `[include=/\.md$/]`.
 */
export function runbookVitest(input?: RunbookVitestOptions): Plugin {
  const options = parsePluginOptions(input);
  const dependents = new DocDependents();
  const runtime = runtimeModule();
  let root = process.cwd();
  let runOptions: Promise<RunOptions> | undefined;
  return {
    name: 'runbook:vitest',
    enforce: 'pre',
    config() {
      // A doc's test file is re-run when a local file it imports changes (vitest only follows real imports).
      return { test: { watchTriggerPatterns: [{ pattern: /[^]/, testsToRun: (file: string) => dependents.docsOf(file) }] } };
    },
    configResolved(config) {
      root = config.root;
    },
    async transform(_code, id) {
      if (id.includes('?') || id.includes('\0') || !options.include.test(id)) return null;
      const path = resolve(id);
      runOptions ??= resolveRunOptions(options, root);
      const text = readFileSync(path, 'utf8');
      for (const file of dependents.update(path)) this.addWatchFile(file);
      return { code: docTestModule({ path, text, options: await runOptions, runtime }), map: { mappings: '' } };
    },
  };
}
