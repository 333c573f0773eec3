import type { DocResult } from './results.js';

// Whether a process can run another doc after this one: only if the doc left
// it as it found it. Used by pool workers and by the runner's own process.

/** The process environment, minus the per-doc run marker, as comparable text. */
export function snapshotEnv(): string {
  return JSON.stringify(Object.entries(process.env).filter(([key]) => key !== 'RUNBOOK_RUN_ID').sort());
}

/** True if the doc left cwd and env unchanged, cleaned up, and neither timed out nor faulted. */
export function isReusable(result: DocResult, cwd: string, env: string): boolean {
  if (process.cwd() !== cwd || snapshotEnv() !== env) return false;
  if (result.warnings.some((warning) => warning.startsWith('cleanup of'))) return false;
  return !result.blocks.some((block) => block.status === 'timed-out' || block.error?.code === 'RUNBOOK_DOC_FAULT') && !result.error;
}

/**
 * Puts the runner's own process back as it was before a doc that ran in it
 * (--jobs 1): a doc can reach the real `process` through `require('node:process')`.
 * Returns what had to be restored, for the doc's warnings.
 */
export function restoreProcess(cwd: string, env: NodeJS.ProcessEnv): string[] {
  const restored: string[] = [];
  if (process.cwd() !== cwd) {
    process.chdir(cwd);
    restored.push('working directory');
  }
  const changed = new Set<string>();
  for (const key of Object.keys(process.env)) if (!(key in env) && key !== 'RUNBOOK_RUN_ID') changed.add(key);
  for (const [key, value] of Object.entries(env)) if (process.env[key] !== value) changed.add(key);
  for (const key of changed) {
    if (env[key] === undefined) delete process.env[key];
    else process.env[key] = env[key];
  }
  if (changed.size) restored.push(`environment variable${changed.size === 1 ? '' : 's'} ${[...changed].sort().join(', ')}`);
  return restored;
}
