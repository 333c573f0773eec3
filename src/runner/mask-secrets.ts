import type { ErrorReport } from '../engine/error-report.js';
import { scrubString, secretValues } from '../features/llm/recordings/scrub.js';
import type { BlockResult, DocResult } from './results.js';
import { createStreamMasker, type StreamMasker } from './stream-masker.js';

/** Masks these secrets, and credential-shaped text, in text a report shows. */
export function maskerOf(secrets: readonly string[]): (text: string) => string {
  return (text) => scrubString(text, secrets);
}

/** The same masking for output that arrives in chunks (a pipe): a secret split across chunks is never shown. */
export function streamMaskerOf(secrets: readonly string[]): StreamMasker {
  return createStreamMasker((text) => scrubString(text, secrets), secrets);
}

/** Masks the doc's secrets (API keys, tokens, passwords from its environment) in text a report shows. */
export function secretMasker(env: NodeJS.ProcessEnv): (text: string) => string {
  return maskerOf(secretValues(env));
}

/** secretMasker for output that arrives in chunks. */
export function secretStreamMasker(env: NodeJS.ProcessEnv): StreamMasker {
  return streamMaskerOf(secretValues(env));
}

const secretsByRun = new WeakMap<object, readonly string[]>();

/**
 * The secrets of a run's docs: in the runner's environment with the run's `env`
 * option over it. Worked out once per run (its options object): a run of many
 * docs does not copy and scan the environment for each.
 */
export function runSecrets(options: { env?: NodeJS.ProcessEnv }): readonly string[] {
  let secrets = secretsByRun.get(options);
  if (!secrets) secretsByRun.set(options, (secrets = secretValues({ ...process.env, ...options.env })));
  return secrets;
}

export function maskError(error: ErrorReport | undefined, mask: (text: string) => string): void {
  if (!error) return;
  for (const key of ['message', 'frame', 'stack', 'diff'] as const) {
    const text = error[key];
    if (text !== undefined) error[key] = mask(text);
  }
}

/** Masks what a block printed and showed, in place (a result, or the notebook's view of one). */
export function maskBlock<B extends Pick<BlockResult, 'stdout' | 'stderr' | 'value' | 'error'>>(block: B, mask: (text: string) => string): B {
  block.stdout = mask(block.stdout);
  block.stderr = mask(block.stderr);
  if (block.value !== undefined) block.value = mask(block.value);
  maskError(block.error, mask);
  return block;
}

/** Secrets never reach reports: every text a doc's result carries is masked in place. */
export function maskResult(result: DocResult, mask: (text: string) => string): void {
  maskError(result.error, mask);
  result.warnings = result.warnings.map(mask);
  for (const block of result.blocks) maskBlock(block, mask);
}
