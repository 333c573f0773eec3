import { resolve } from 'node:path';
import * as z from 'zod';
import { parseOptions } from '../container/options.js';
import { findConfigFile, loadConfig } from '../runner/config-file.js';
import { evalModes, llmModes, runOptionsSchema, timeoutSchema, type RunOptions } from '../runner/run-options.js';

/** The options of `runbook()` in a vitest config; each wins over runbook.config.*. */
export const pluginOptionsSchema = z
  .object({
    /** Which module ids are docs (default: ids ending in `.md`); vitest's `test.include` still picks the test files. */
    include: z.instanceof(RegExp).default(/\.md$/),
    /** A runbook.config file, or `false` for none (default: the nearest one from vitest's root upwards). */
    configFile: z.union([z.string().min(1), z.literal(false)]).optional(),
    timeout: timeoutSchema().optional(),
    docTimeout: timeoutSchema().optional(),
    evalMode: z.enum(evalModes).optional(),
    onlySections: z.array(z.string()).optional(),
    llm: z.enum(llmModes).optional(),
    env: z.record(z.string(), z.string()).optional(),
    strictLeaks: z.boolean().optional(),
    /** Write lastTested/lastTestPassed into the docs (default false inside vitest). */
    stamp: z.boolean().default(false),
    /** Rewrite `output` fences with the actual output (like --update). */
    update: z.boolean().default(false),
    /** Type-check each doc first (like --typecheck): a doc with type errors fails with them, nothing of it run. */
    typecheck: z.boolean().optional(),
  })
  .strict();

export type RunbookVitestOptions = z.input<typeof pluginOptionsSchema>;
export type PluginOptions = z.infer<typeof pluginOptionsSchema>;

/** Checks what the user passed to `runbook()`; errors name the key and the bad value. */
export function parsePluginOptions(input: RunbookVitestOptions | undefined): PluginOptions {
  return parseOptions(pluginOptionsSchema, input ?? {}, 'runbook/vitest');
}

/**
 * The run options every doc of this vitest project runs with: runbook.config.*
 * (found from `root` unless named or turned off), then the plugin's options on
 * top; stamping stays off unless the plugin turns it on.
 */
export async function resolveRunOptions(plugin: PluginOptions, root: string): Promise<RunOptions> {
  const configFile = plugin.configFile === false ? undefined : plugin.configFile ? plugin.configFile : findConfigFile(root);
  const loaded = configFile ? await loadConfig(resolve(root, configFile)) : undefined;
  const config = loaded?.config ?? {};
  const pick = <T>(own: T | undefined, fromConfig: T | undefined) => own ?? fromConfig;
  return runOptionsSchema.parse({
    timeout: pick(plugin.timeout, config.timeout),
    docTimeout: pick(plugin.docTimeout, config.docTimeout),
    evalMode: pick(plugin.evalMode, config.evalMode),
    llm: pick(plugin.llm, config.llm),
    maxDocSize: config.maxDocSize,
    onlySections: plugin.onlySections,
    env: plugin.env,
    strictLeaks: plugin.strictLeaks,
    stamp: plugin.stamp,
    update: plugin.update,
    typecheck: pick(plugin.typecheck, config.typecheck),
    configFile: loaded?.path,
  });
}
