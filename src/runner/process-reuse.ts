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
