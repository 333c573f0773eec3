import type { ErrorReport } from '../engine/error-report.js';
import { scrubString, secretValues } from '../features/llm/recordings/scrub.js';
import type { BlockResult, DocResult } from './results.js';
import { createStreamMasker, type StreamMasker } from './stream-masker.js';

/** Masks the doc's secrets (API keys, tokens, passwords from its environment) in text a report shows. */
export function secretMasker(env: NodeJS.ProcessEnv): (text: string) => string {
  const secrets = secretValues(env);
  return (text) => scrubString(text, secrets);
}

/** The same masking for output that arrives in chunks (a pipe): a secret split across chunks is never shown. */
export function secretStreamMasker(env: NodeJS.ProcessEnv): StreamMasker {
  const secrets = secretValues(env);
  return createStreamMasker((text) => scrubString(text, secrets), secrets);
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
