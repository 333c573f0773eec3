import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import * as z from 'zod';
import { describeZodIssues } from '../container/options.js';
import type { FeatureClass } from '../container/feature.js';
import { runbookError } from '../errors.js';
import { reporterNames } from './reporters/index.js';
import { evalModes, jobsSchema, llmModes, timeoutSchema } from './run-options.js';
import { docSizeSchema } from './doc-size.js';
import { importModule } from '../engine/import-module.js';
import { loadEsbuild } from '../engine/esbuild-loader.js';

/** Looked for in this order, in the working folder and then each folder above it. */
export const configFileNames = ['runbook.config.ts', 'runbook.config.mts', 'runbook.config.js', 'runbook.config.mjs', 'runbook.config.json'] as const;

const helperKinds = ['feature', 'server', 'client'];

// Duck-typed, never instanceof: the config may load Feature from another copy of runbook.
const featureClass = z.custom<FeatureClass>(
  (value) =>
    typeof value === 'function' &&
    typeof (value as { featureName?: unknown }).featureName === 'string' &&
    helperKinds.includes((value as { kind?: unknown }).kind as string) &&
    typeof (value as { prototype?: { enable?: unknown } }).prototype?.enable === 'function',
  { message: 'expected a class extending Feature (with static featureName and kind)' },
);

/** What a runbook.config file may set. Command-line flags win over it. */
export const configSchema = z
  .object({
    /** Globs `runbook run` and `runbook list` use when given no files, relative to the config's folder. */
    docs: z.array(z.string().min(1)).min(1).optional(),
    /** Per-block timeout in ms (like --timeout). */
    timeout: timeoutSchema().optional(),
    /** Per-doc timeout in ms (like --doc-timeout). */
    docTimeout: timeoutSchema().optional(),
    /** Reporters when --reporter is not given. */
    reporters: z.array(z.enum(reporterNames)).min(1).optional(),
    /** Parallel executor processes (like --jobs). */
    jobs: jobsSchema().optional(),
    /** Docs larger than this are refused before they are read (like --max-doc-size): bytes, or '10MB'. */
    maxDocSize: docSizeSchema().optional(),
    evalMode: z.enum(evalModes).optional(),
    llm: z.enum(llmModes).optional(),
    /** Type-check docs before running them (like --typecheck). */
    typecheck: z.boolean().optional(),
    /** Write lastTested/lastTestPassed after a run (default true); --stamp and --no-stamp win over it. */
    stamp: z.boolean().optional(),
    /** A skipped doc fails the run (like --fail-on-skip). */
    failOnSkip: z.boolean().optional(),
    /** Feature, server and client classes registered in every doc's container. */
    features: z.array(featureClass).optional(),
  })
  .strict();

export type RunbookConfig = z.infer<typeof configSchema>;

/** A config file and what it holds. */
export interface LoadedConfig {
  path: string;
  config: RunbookConfig;
}

/** The nearest runbook.config.* at or above `from`, or undefined. */
export function findConfigFile(from: string = process.cwd()): string | undefined {
  for (let dir = resolve(from); ; dir = dirname(dir)) {
    for (const name of configFileNames) {
      const candidate = join(dir, name);
      if (existsSync(candidate)) return candidate;
    }
    if (dirname(dir) === dir) return undefined;
  }
}

// TypeScript configs are transpiled next to the original, so relative imports in them still resolve.
async function importTypeScript(path: string): Promise<unknown> {
  const { code } = loadEsbuild().transformSync(readFileSync(path, 'utf8'), { loader: 'ts', format: 'esm', sourcefile: path, target: 'node20' });
  const temporary = join(dirname(path), `.${basename(path)}.${process.pid}-${Date.now()}.mjs`);
  writeFileSync(temporary, code);
  try {
    return await importModule(pathToFileURL(temporary).href);
  } finally {
    rmSync(temporary, { force: true });
  }
}

async function readRaw(path: string): Promise<unknown> {
  if (path.endsWith('.json')) {
    try {
      return JSON.parse(readFileSync(path, 'utf8'));
    } catch (error) {
      throw runbookError('RUNBOOK_CONFIG', `${path} is not valid JSON: ${(error as Error).message}. Fix the file or delete it.`, { cause: error });
    }
  }
  let namespace: { default?: unknown };
  try {
    namespace = (/\.m?ts$/.test(path) ? await importTypeScript(path) : await importModule(pathToFileURL(path).href)) as { default?: unknown };
  } catch (error) {
    throw runbookError('RUNBOOK_CONFIG', `${path} could not be loaded: ${(error as Error).message}`, { cause: error });
  }
  if (namespace.default === undefined) {
    throw runbookError('RUNBOOK_CONFIG', `${path} has no default export. Export the settings: export default { docs: ['docs/**/*.md'] }.`);
  }
  return namespace.default;
}

/** Checks settings read from `path`; errors name the file and the key. */
export function validateConfig(raw: unknown, path: string): RunbookConfig {
  const checked = configSchema.safeParse(raw);
  if (checked.success) return checked.data;
  const lines = describeZodIssues(checked.error, raw).map((line) => line.replace(/^unknown options? /, (found) => `${found.replace('option', 'key')}`));
  const known = Object.keys(configSchema.shape).join(', ');
  throw runbookError('RUNBOOK_CONFIG', `Invalid ${path}: ${lines.join('; ')}. Known keys: ${known}.`, { cause: checked.error });
}

const loaded = new Map<string, Promise<LoadedConfig>>();

/** Loads and validates a config file (once per process and path). */
export function loadConfig(path: string): Promise<LoadedConfig> {
  const absolute = resolve(path);
  let pending = loaded.get(absolute);
  if (!pending) {
    pending = readRaw(absolute).then((raw) => ({ path: absolute, config: validateConfig(raw, path) }));
    loaded.set(absolute, pending);
    pending.catch(() => loaded.delete(absolute));
  }
  return pending;
}

/** The custom features a config registers (none when there is no config). */
export async function configFeatures(path: string | undefined): Promise<FeatureClass[]> {
  if (!path) return [];
  return (await loadConfig(path)).config.features ?? [];
}
