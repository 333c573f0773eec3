import type { Block } from '../markdown/document.js';
import { runbookError } from '../errors.js';
import { importModule } from '../engine/import-module.js';

const write = { stdout: process.stdout.write.bind(process.stdout), stderr: process.stderr.write.bind(process.stderr) };

/**
 * Runs a shell fence in the doc's folder; a non-zero exit fails the block. Its
 * output goes to this process's own streams, where the supervisor reads it
 * like any other output of the block. At the limit the shell's whole process
 * group is killed: a `sleep 100 &` must not keep the block waiting.
 */
export async function runShellBlock(block: Block, options: { cwd: string; env: NodeJS.ProcessEnv; timeoutMs: number }): Promise<void> {
  const { execa } = await importModule<typeof import('execa')>('execa');
  const shell = block.lang === 'bash' || block.lang === 'zsh' ? block.lang : 'sh';
  const child = execa(shell, ['-e', '-c', block.source], {
    cwd: options.cwd,
    env: options.env,
    extendEnv: false,
    reject: false,
    stdin: 'ignore',
    detached: true,
    cleanup: true,
  });
  let stderrTail = '';
  child.stdout?.on('data', (chunk: Buffer) => write.stdout(chunk));
  child.stderr?.on('data', (chunk: Buffer) => {
    write.stderr(chunk);
    stderrTail = (stderrTail + chunk.toString()).slice(-2000);
  });
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    try {
      process.kill(-child.pid!, 'SIGKILL');
    } catch {
      child.kill('SIGKILL');
    }
  }, options.timeoutMs);
  const result = await child.finally(() => clearTimeout(timer));
  if (timedOut) throw runbookError('RUNBOOK_BLOCK_TIMEOUT', `The ${shell} block did not finish within ${options.timeoutMs} ms and was killed.`);
  if (result.failed) {
    const reason = result.exitCode !== undefined ? `exited with code ${result.exitCode}` : `failed: ${result.shortMessage}`;
    const tail = stderrTail.trim().split('\n').slice(-5).join('\n');
    throw runbookError('RUNBOOK_SHELL_FAILED', `The ${shell} block ${reason}.${tail ? `\nstderr:\n${tail}` : ''}`);
  }
}
