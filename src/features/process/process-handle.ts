import { spawn, type ChildProcess } from 'node:child_process';
import { Emitter } from '../../container/emitter.js';
import { OutputBuffer, type OutputBufferLimits, type OutputSnapshot } from './output-buffer.js';
import { checkDirectory, describeErrno } from './spawn-problems.js';
import { groupExists, isTrackedGroup, signalGroup, trackGroup, untrackGroup } from './process-groups.js';

export type ProcessStatus = 'running' | 'exited' | 'crashed' | 'killed';

export interface ProcessHandleOptions {
  id: string;
  command: string;
  args: string[];
  tag?: string;
  cwd: string;
  env: NodeJS.ProcessEnv;
  limits: OutputBufferLimits;
  /** Track the process group so exit hooks can kill it. */
  track: boolean;
  /** After kill(), how long to wait before sending SIGKILL to the group. */
  killTimeoutMs: number;
  /** Called once the process ended, after the handle's own events (so the owner's events come last). */
  onEnd?: (handle: ProcessHandle) => void;
}

/** A handle as plain JSON (what tools return and `JSON.stringify` shows). */
export interface ProcessSummary {
  id: string;
  tag: string | null;
  command: string;
  args: string[];
  pid: number | null;
  status: ProcessStatus;
  exitCode: number | null;
  signal: string | null;
  error: string | null;
  startedAt: string;
  endedAt: string | null;
  runtimeMs: number;
  stdoutLines: number;
  stderrLines: number;
}

// How long to wait for stdout/stderr to drain after the child exits. Background
// grandchildren can hold the pipes open for ever, so do not wait for 'close'.
const drainGraceMs = 100;

/** A process handle's events, and what their listeners get. */
export interface ProcessHandleEvents {
  /** A piece of what the process wrote to stdout, as text. */
  stdout: [chunk: string];
  /** A piece of what it wrote to stderr (also why it could not start). */
  stderr: [chunk: string];
  /** It ended: its exit code, or the signal that ended it (the other is null). */
  exit: [code: number | null, signal: NodeJS.Signals | null];
  /** After `exit`, when it failed: a non-zero exit code, a signal nobody sent through kill(), or no start at all. */
  crash: [code: number | null, signal: NodeJS.Signals | null];
  /** After `exit`, when kill() ended it. */
  killed: [signal: NodeJS.Signals | null];
}

/**
 * One child process in its own process group. Events (ProcessHandleEvents):
 * `stdout` / `stderr` (text chunks), `exit` (code, signal) when it ends, then
 * `crash` (code, signal) if it failed or `killed` (signal) if kill() ended it.
 */
export class ProcessHandle extends Emitter<ProcessHandleEvents> {
  readonly id: string;
  readonly tag: string | undefined;
  readonly command: string;
  readonly args: string[];
  readonly cwd: string;
  readonly pid: number | undefined;
  readonly startedAt = new Date();
  readonly stdout: OutputBuffer;
  readonly stderr: OutputBuffer;
  status: ProcessStatus = 'running';
  exitCode: number | null = null;
  signal: NodeJS.Signals | null = null;
  endedAt: Date | null = null;
  /** The OS error that kept the process from starting, e.g. "spawn nope ENOENT". */
  error: string | null = null;
  #child: ChildProcess | null = null;
  #alive = true;
  #killRequested = false;
  #tracked = false;
  #killTimeoutMs: number;
  #onEnd: ((handle: ProcessHandle) => void) | undefined;
  #done: Promise<number | null>;
  #resolveDone!: (code: number | null) => void;

  constructor(options: ProcessHandleOptions) {
    super();
    this.id = options.id;
    this.tag = options.tag;
    this.command = options.command;
    this.args = options.args;
    this.cwd = options.cwd;
    this.#killTimeoutMs = options.killTimeoutMs;
    this.#onEnd = options.onEnd;
    this.stdout = new OutputBuffer(options.limits);
    this.stderr = new OutputBuffer(options.limits);
    this.#done = new Promise((resolve) => (this.#resolveDone = resolve));
    this.pid = this.#start(options);
  }

  /** True until the OS process has ended (status may already say 'killed'). */
  get isAlive(): boolean {
    return this.#alive;
  }

  /** Resolves with the exit code when the process ends (null if a signal ended it or it never started). */
  await(): Promise<number | null> {
    return this.#done;
  }

  /**
   * Sends `signal` (default SIGTERM) to the process and all its descendants,
   * and SIGKILL to the group if it is still there after the kill timeout.
   * Returns false when the process had already finished (leftover background
   * descendants are still killed).
   */
  kill(signal: NodeJS.Signals = 'SIGTERM'): boolean {
    if (this.pid === undefined) return false;
    if (!this.#alive) {
      this.killGroup();
      return false;
    }
    this.#killRequested = true;
    this.status = 'killed';
    signalGroup(this.pid, signal);
    if (signal !== 'SIGKILL') {
      const timer = setTimeout(() => this.pid !== undefined && this.#alive && signalGroup(this.pid, 'SIGKILL'), this.#killTimeoutMs);
      timer.unref();
      void this.#done.then(() => clearTimeout(timer));
    }
    return true;
  }

  /** Kills whatever is left in the process group (descendants that outlived the child). */
  killGroup(): void {
    // An untracked group was seen empty: its number may belong to someone else by now.
    if (this.pid === undefined || !this.#tracked || !isTrackedGroup(this.pid)) return;
    signalGroup(this.pid, 'SIGKILL');
    this.#forgetGroupIfEmpty();
  }

  /** Stops reading output so a process left running does not keep Node alive. */
  detach(): void {
    this.#child?.stdout?.destroy();
    this.#child?.stderr?.destroy();
    this.#child?.unref();
  }

  toJSON(): ProcessSummary & { stdout: OutputSnapshot; stderr: OutputSnapshot } {
    return { ...this.summary(), stdout: this.stdout.toJSON(), stderr: this.stderr.toJSON() };
  }

  summary(): ProcessSummary {
    return {
      id: this.id,
      tag: this.tag ?? null,
      command: this.command,
      args: [...this.args],
      pid: this.pid ?? null,
      status: this.status,
      exitCode: this.exitCode,
      signal: this.signal,
      error: this.error,
      startedAt: this.startedAt.toISOString(),
      endedAt: this.endedAt?.toISOString() ?? null,
      runtimeMs: (this.endedAt ?? new Date()).getTime() - this.startedAt.getTime(),
      stdoutLines: this.stdout.totalLines,
      stderrLines: this.stderr.totalLines,
    };
  }

  #start(options: ProcessHandleOptions): number | undefined {
    // Node reports a missing cwd as "spawn <command> ENOENT", which blames the command.
    const cwdProblem = checkDirectory(options.cwd);
    if (cwdProblem) {
      queueMicrotask(() => this.#fail(cwdProblem));
      return undefined;
    }
    let child: ChildProcess;
    try {
      child = spawn(options.command, options.args, {
        cwd: options.cwd,
        env: options.env,
        detached: true,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
    } catch (error) {
      const message = `Could not start ${JSON.stringify(options.command)}: ${(error as Error).message}`;
      queueMicrotask(() => this.#fail(message));
      return undefined;
    }
    this.#child = child;
    child.stdout?.setEncoding('utf8');
    child.stderr?.setEncoding('utf8');
    child.stdout?.on('data', (chunk: string) => {
      this.stdout.push(chunk);
      this.emit('stdout', chunk);
    });
    child.stderr?.on('data', (chunk: string) => {
      this.stderr.push(chunk);
      this.emit('stderr', chunk);
    });
    child.on('error', (error: NodeJS.ErrnoException) => {
      // Only failures to start end the handle; a failed kill() of a live child is not fatal.
      if (child.pid === undefined) this.#fail(`${error.message} (${describeErrno(error.code)})`);
    });
    child.on('exit', (code, signal) => this.#onExit(code, signal));
    // The pipes close when the last process holding them is gone: a good time to recheck the group.
    child.on('close', () => this.#forgetGroupIfEmpty());
    if (child.pid !== undefined && options.track) {
      this.#tracked = true;
      trackGroup(child.pid);
    }
    return child.pid;
  }

  #forgetGroupIfEmpty(): void {
    if (!this.#tracked || this.pid === undefined || groupExists(this.pid)) return;
    untrackGroup(this.pid);
    this.#tracked = false;
  }

  #fail(message: string): void {
    if (!this.#alive) return;
    this.error = message;
    this.stderr.push(`${message}\n`);
    this.emit('stderr', `${message}\n`);
    this.#finish(null, null);
  }

  #onExit(code: number | null, signal: NodeJS.Signals | null): void {
    const child = this.#child;
    const streamsOpen = () => Boolean((child?.stdout && !child.stdout.readableEnded) || (child?.stderr && !child.stderr.readableEnded));
    if (!streamsOpen()) {
      this.#finish(code, signal);
      return;
    }
    let finished = false;
    const finish = () => {
      if (finished) return;
      finished = true;
      clearTimeout(timer);
      this.#finish(code, signal);
    };
    const timer = setTimeout(finish, drainGraceMs);
    child?.once('close', finish);
  }

  #finish(code: number | null, signal: NodeJS.Signals | null): void {
    if (!this.#alive) return;
    this.#alive = false;
    this.stdout.end();
    this.stderr.end();
    this.exitCode = code;
    this.signal = signal;
    this.endedAt = new Date();
    if (this.#killRequested) this.status = 'killed';
    else this.status = code === 0 ? 'exited' : 'crashed';
    this.#forgetGroupIfEmpty();
    // A listener that throws must not leave await() pending for ever.
    try {
      this.emit('exit', code, signal);
      if (this.status === 'crashed') this.emit('crash', code, signal);
      if (this.status === 'killed') this.emit('killed', signal);
    } finally {
      this.#resolveDone(code);
      this.#onEnd?.(this);
    }
  }
}
