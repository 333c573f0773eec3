import { existsSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import { hasCode, messageOf } from '../errors.js';
import { findConfigFile, loadConfig, type LoadedConfig, type RunbookConfig } from '../runner/config-file.js';
import { expandPaths } from './expand-paths.js';
import { usageError } from './usage-error.js';

/**
 * The config the CLI uses: the file named by --config, else the nearest
 * runbook.config.* from the working folder upwards, else none. A broken
 * config is a usage error (exit 2) naming the file and the key.
 */
export async function loadCliConfig(explicit: string | undefined, cwd = process.cwd()): Promise<LoadedConfig | undefined> {
  const path = explicit ? resolve(cwd, explicit) : findConfigFile(cwd);
  if (!path) return undefined;
  if (explicit && !existsSync(path)) throw usageError(`--config ${explicit}: no such file. Check the path (relative to ${cwd}).`);
  try {
    return await loadConfig(path);
  } catch (error) {
    if (hasCode(error, 'RUNBOOK_CONFIG')) throw usageError(messageOf(error));
    throw error;
  }
}

/**
 * The docs to use when the command line names none: the config's `docs`
 * globs, relative to the config's folder, as paths relative to the working folder.
 */
export async function defaultDocs(config: LoadedConfig | undefined, command: 'run' | 'list' | 'check', cwd = process.cwd()): Promise<string[]> {
  const patterns = config?.config.docs;
  if (!patterns) {
    throw usageError(
      `No docs given. Name files or globs, e.g. runbook ${command} 'docs/**/*.md', or set default globs in runbook.config.ts: export default { docs: ['docs/**/*.md'] }.`,
    );
  }
  const base = dirname(config.path);
  const found = await expandPaths(patterns.map((pattern) => relative(cwd, resolve(base, pattern)) || '.'), cwd);
  return found;
}

/**
 * Whether a run stamps its docs: --stamp or --no-stamp, else the config's
 * `stamp`, else yes. `no-stamp` is its own flag for Node 20 releases whose
 * parseArgs has no `allowNegative`.
 */
export function stampSetting(flags: { stamp?: boolean; 'no-stamp'?: boolean }, config: RunbookConfig | undefined): boolean {
  if (flags['no-stamp']) return false;
  return flags.stamp ?? config?.stamp ?? true;
}
