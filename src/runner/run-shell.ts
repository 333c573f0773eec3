import type { Block } from '../markdown/document.js';
import { runbookError } from '../errors.js';
import type { OutputCapture } from '../engine/output-capture.js';
import { importModule } from '../engine/import-module.js';
import { StringDecoder } from 'node:string_decoder';
import type { Readable } from 'node:stream';
import { secretStreamMasker } from './mask-secrets.js';

/** Runs a shell fence in the doc's folder; a non-zero exit fails the block. */
export async function runShellBlock(block: Block, options: { cwd: string; env: NodeJS.ProcessEnv; capture: OutputCapture; timeoutMs: number }): Promise<void> {
  const { execa } = await importModule<typeof import('execa')>('execa');
  const shell = block.lang === 'bash' || block.lang === 'zsh' ? block.lang : 'sh';
  const child = execa(shell, ['-e', '-c', block.source], {
    cwd: options.cwd,
    env: options.env,
    extendEnv: false,
    reject: false,
    stdin: 'ignore',
    timeout: options.timeoutMs,
    killSignal: 'SIGKILL',
    cleanup: true,
  });
  const flushers = (['stdout', 'stderr'] as const).map((name) => maskedStream(child[name], options.env, (text) => options.capture.write(name, text)));
  const result = await child;
  for (const flush of flushers) flush();
  if (result.timedOut) {
    throw runbookError('RUNBOOK_BLOCK_TIMEOUT', `The ${shell} block did not finish within ${options.timeoutMs} ms and was killed.`);
  }
  if (result.failed) {
    const reason = result.exitCode !== undefined ? `exited with code ${result.exitCode}` : `failed: ${result.shortMessage}`;
    const tail = options.capture.stderr.trim().split('\n').slice(-5).join('\n');
    throw runbookError('RUNBOOK_SHELL_FAILED', `The ${shell} block ${reason}.${tail ? `\nstderr:\n${tail}` : ''}`);
  }
}

// A secret split across two chunks of a pipe is masked before either half is shown; returns the end-of-stream flush.
function maskedStream(stream: Readable | null, env: NodeJS.ProcessEnv, write: (text: string) => void): () => void {
  const decoder = new StringDecoder('utf8');
  const masker = secretStreamMasker(env);
  const show = (text: string): void => {
    if (text) write(text);
  };
  stream?.on('data', (chunk: Buffer) => show(masker.push(decoder.write(chunk))));
  return () => show(masker.push(decoder.end()) + masker.flush());
}
