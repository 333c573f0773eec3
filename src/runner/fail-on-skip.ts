import type { DocResult } from './results.js';

/**
 * --fail-on-skip (config `failOnSkip`): a skipped doc fails, with the reason
 * it was skipped, so that a CI job without a key or a variable cannot pass.
 * Applied after the stamp is decided: a doc that did not run is not stamped.
 */
export function failSkipped(result: DocResult): void {
  if (result.status !== 'skipped') return;
  result.status = 'failed';
  result.error = {
    message: `The doc was skipped (${result.skipReason ?? 'no reason given'}), and --fail-on-skip (config failOnSkip) makes a skipped doc a failure. Give it what it needs (e.g. the environment variable), or run without --fail-on-skip.`,
    code: 'RUNBOOK_SKIPPED',
  };
}
