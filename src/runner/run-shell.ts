import type { Block } from '../markdown/document.js';
import { runbookError } from '../errors.js';
import type { OutputCapture } from '../engine/output-capture.js';
import { importModule } from '../engine/import-module.js';

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
  child.stdout?.on('data', (chunk: Buffer) => options.capture.write('stdout', chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => options.capture.write('stderr', chunk.toString()));
  const result = await child;
  if (result.timedOut) {
    throw runbookError('RUNBOOK_BLOCK_TIMEOUT', `The ${shell} block did not finish within ${options.timeoutMs} ms and was killed.`);
  }
  if (result.failed) {
    const reason = result.exitCode !== undefined ? `exited with code ${result.exitCode}` : `failed: ${result.shortMessage}`;
    const tail = options.capture.stderr.trim().split('\n').slice(-5).join('\n');
    throw runbookError('RUNBOOK_SHELL_FAILED', `The ${shell} block ${reason}.${tail ? `\nstderr:\n${tail}` : ''}`);
  }
}
