import { resolve } from 'node:path';
import type { ResultPromise } from 'execa';
import * as z from 'zod';
import { runbookError } from '../errors.js';
import { Feature } from '../container/feature.js';
import { parseOptions } from '../container/options.js';
import { importModule } from '../engine/import-module.js';
import { lazy } from '../container/lazy.js';

const optionsSchema = lazy(() => z.object({}).strict());

const execOptionsSchema = lazy(() =>
  z
    .object({
      /** Working directory; relative paths resolve against the doc's folder. Default: the doc's folder. */
      cwd: z.string().optional(),
      /** Extra environment variables, merged over the current ones. */
      env: z.record(z.string(), z.string()).optional(),
      /** Text written to the command's stdin. */
      input: z.string().optional(),
      /** Kill the command after this many milliseconds. */
      timeout: z.number().int().positive().optional(),
    })
    .strict()
);

export type ExecOptions = z.infer<ReturnType<typeof execOptionsSchema>>;

export interface ExecResult {
  stdout: string;
  stderr: string;
  /** null when the command was killed by a signal (or the timeout) before exiting. */
  exitCode: number | null;
  signal: string | null;
  timedOut: boolean;
}

/**
 * Runs commands and returns their output. A non-zero exit is a result, not an
 * error: check `exitCode`. Commands still running when the doc ends are killed.
 */
export class Proc extends Feature {
  static override readonly featureName = 'proc';
  static override readonly kind = 'feature';
  static override readonly description = 'Run a command (or a shell line) and get { stdout, stderr, exitCode }.';
  static override get optionsSchema() {
    return optionsSchema();
  }

  #running = new Set<ResultPromise>();

  /**
   * Runs `command` with `args` (no shell: arguments are passed as-is).
   * Options: `cwd` (default the doc's folder), `env`, `input`, `timeout` (ms).
   */
  exec(command: string, args: string[] | ExecOptions = [], options: ExecOptions = {}): Promise<ExecResult> {
    if (!Array.isArray(args)) return this.exec(command, [], args);
    if (typeof command !== 'string' || command === '') {
      return Promise.reject(runbookError('RUNBOOK_INVALID_ARGUMENT', `proc.exec() needs a command name, got ${JSON.stringify(command) ?? String(command)}.`));
    }
    if (!args.every((arg) => typeof arg === 'string')) {
      return Promise.reject(
        runbookError('RUNBOOK_INVALID_ARGUMENT', `proc.exec('${command}') needs its arguments as an array of strings, got ${JSON.stringify(args)}.`),
      );
    }
    return this.#run(command, args, options, false);
  }

  /** Runs a command line through the system shell (pipes, globs, `&&` work). Same options as exec(). */
  shell(commandLine: string, options: ExecOptions = {}): Promise<ExecResult> {
    if (typeof commandLine !== 'string' || commandLine.trim() === '') {
      return Promise.reject(runbookError('RUNBOOK_INVALID_ARGUMENT', `proc.shell() needs a command line string, got ${JSON.stringify(commandLine) ?? String(commandLine)}.`));
    }
    return this.#run(commandLine, [], options, true);
  }

  override openResources(): string[] {
    return [...this.#running].map(() => 'process');
  }

  protected override async onDispose(): Promise<void> {
    const running = [...this.#running];
    for (const subprocess of running) subprocess.kill('SIGKILL');
    await Promise.allSettled(running);
  }

  async #run(command: string, args: string[], rawOptions: ExecOptions, shell: boolean): Promise<ExecResult> {
    const method = shell ? 'proc.shell' : 'proc.exec';
    const options = parseOptions(execOptionsSchema(), rawOptions, `${method}('${command}')`);
    const { execa } = await importModule<typeof import('execa')>('execa');
    const subprocess = execa(command, args, {
      cwd: resolve(this.container.settings.cwd, options.cwd ?? '.'),
      env: options.env,
      timeout: options.timeout,
      shell,
      reject: false,
      // A command waiting on stdin would hang the doc: give it the input, or nothing.
      ...(options.input === undefined ? { stdin: 'ignore' as const } : { input: options.input }),
    });
    this.#running.add(subprocess);
    try {
      const result = await subprocess;
      if (result.exitCode === undefined && !result.signal && !result.timedOut) {
        const hint = !shell && /\s/.test(command) ? ` To run a command line, use proc.shell(${JSON.stringify(command)}).` : ' Check the spelling and that it is on PATH.';
        throw runbookError('RUNBOOK_EXEC_FAILED', `${method}() could not start '${command}': ${result.originalMessage ?? result.shortMessage}.${hint}`);
      }
      return {
        stdout: String(result.stdout ?? ''),
        stderr: String(result.stderr ?? ''),
        exitCode: result.exitCode ?? null,
        signal: result.signal ?? null,
        timedOut: result.timedOut,
      };
    } finally {
      this.#running.delete(subprocess);
    }
  }
}
