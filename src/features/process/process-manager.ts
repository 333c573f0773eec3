import { isAbsolute, resolve } from 'node:path';
import * as z from 'zod';
import { Feature, type FeatureHost } from '../../container/feature.js';
import { runbookError } from '../../errors.js';
import { ProcessHandle } from './process-handle.js';
import {
  getProcessOutputTool,
  killProcessTool,
  listProcessesTool,
  processSystemPromptGuidance,
  processTools,
  runCommandTool,
  spawnProcessTool,
  type ProcessToolInput,
} from './process-tools.js';
import { lazy } from '../../container/lazy.js';

const optionsSchema = lazy(() =>
  z.strictObject({
    /** Enable at once (nothing needs enabling: spawn works either way). */
    enable: z.boolean().optional(),
    /** Kill every process (and its descendants) when the doc ends or Node exits. [default true] */
    autoCleanup: z.boolean().default(true),
    /** Lines kept from the start of each output stream. [default 20] */
    headLines: z.number().int().min(0).default(20),
    /** Lines kept from the end of each output stream. [default 50] */
    tailLines: z.number().int().min(0).default(50),
    /** Longer output lines are cut to this many characters. [default 10000] */
    maxLineLength: z.number().int().positive().default(10_000),
    /** After SIGTERM, how long a process gets before SIGKILL. [default 3000] */
    killTimeoutMs: z.number().int().positive().default(3000),
    /** Default timeout of the runCommand tool. [default 60000] */
    commandTimeoutMs: z.number().int().positive().default(60_000),
  })
);

export type ProcessManagerOptions = z.output<ReturnType<typeof optionsSchema>>;

/** What `state` holds. */
export type ProcessManagerState = {
  /** Processes started so far. */
  spawned: number;
  /** Processes whose status is 'running'. */
  running: number;
  exited: number;
  crashed: number;
  killed: number;
};

export interface SpawnOptions {
  /** A name to find the process by with getByTag(). */
  tag?: string;
  /** Working folder, relative to the doc's folder. [default container.settings.cwd] */
  cwd?: string;
  /** Extra environment variables, merged over the doc's environment (container.settings.env). */
  env?: Record<string, string | undefined>;
}

/** The process manager's events, and what their listeners get. */
export interface ProcessManagerEvents {
  /** spawn() started a process (or tried to: one that cannot start ends 'crashed'). */
  spawned: [handle: ProcessHandle];
  /** A process ended with exit code 0. */
  exited: [handle: ProcessHandle];
  /** A process ended with a non-zero code, a signal nobody sent through kill(), or never started. */
  crashed: [handle: ProcessHandle];
  /** kill() (or killAll(), stop()) ended a process. */
  killed: [handle: ProcessHandle];
  /** Nothing started is alive any more (after the last one's own event). */
  allStopped: [];
}

/**
 * Starts and supervises child processes for a doc or an assistant. Each child
 * runs in its own process group, so kill() reaches its descendants too.
 * Events (ProcessManagerEvents): `spawned`, `exited`, `crashed`, `killed` (each
 * with the handle) and `allStopped` once nothing started is alive any more.
 */
// State stays Feature's default type: FeatureClass (and so coreFeatures) only accepts that.
export class ProcessManager extends Feature<ProcessManagerOptions, Record<string, unknown>, ProcessManagerEvents> {
  static override readonly featureName = 'processManager';
  static override readonly kind = 'feature' as const;
  static override readonly description = 'Start, watch and stop background processes; no process outlives the doc.';
  static override get optionsSchema() {
    return optionsSchema();
  }
  static get tools() {
    return processTools();
  }
  static readonly systemPromptGuidance = processSystemPromptGuidance;

  #handles: ProcessHandle[] = [];
  #nextId = 1;

  constructor(container: FeatureHost, options: ProcessManagerOptions, registeredName: string) {
    super(container, options, registeredName);
    if (this.options.enable) void this.enable();
  }

  protected override initialState(): ProcessManagerState {
    return { spawned: 0, running: 0, exited: 0, crashed: 0, killed: 0 };
  }

  get commandTimeoutMs(): number {
    return this.options.commandTimeoutMs;
  }

  /**
   * Starts `command` with `args` (no shell) and returns its handle at once.
   * A command that cannot start gives a handle that ends 'crashed' with the
   * OS error in its stderr; it does not throw.
   */
  spawn(command: string, args: string[] | SpawnOptions = [], options: SpawnOptions = {}): ProcessHandle {
    if (!Array.isArray(args)) return this.spawn(command, [], args);
    if (typeof command !== 'string' || command.length === 0) {
      throw runbookError('RUNBOOK_INVALID_ARGUMENT', `processManager.spawn() needs a command string, got ${JSON.stringify(command)}. Pass the program name, e.g. spawn('sleep', ['1']).`);
    }
    if (this.isDisposed) {
      throw runbookError('RUNBOOK_DISPOSED', `Cannot spawn ${JSON.stringify(command)}: processManager was already disposed (the doc ended).`);
    }
    const base = this.container.settings.cwd;
    const handle = new ProcessHandle({
      id: `proc-${this.#nextId++}`,
      command,
      args: args.map(String),
      tag: options.tag,
      cwd: options.cwd === undefined ? base : isAbsolute(options.cwd) ? options.cwd : resolve(base, options.cwd),
      // The doc's environment (e.g. with --env-file applied), not necessarily the runner's.
      env: { ...(this.container.settings.env ?? process.env), ...options.env },
      limits: { headLines: this.options.headLines, tailLines: this.options.tailLines, maxLineLength: this.options.maxLineLength },
      track: this.options.autoCleanup,
      killTimeoutMs: this.options.killTimeoutMs,
      onEnd: (ended) => this.#onHandleEnd(ended),
    });
    this.#handles.push(handle);
    this.#updateState();
    this.emit('spawned', handle);
    return handle;
  }

  /** Every process started, oldest first. */
  list(): ProcessHandle[] {
    return [...this.#handles];
  }

  get(id: string): ProcessHandle | undefined {
    return this.#handles.find((handle) => handle.id === id);
  }

  /** The newest process started with this tag. */
  getByTag(tag: string): ProcessHandle | undefined {
    for (let index = this.#handles.length - 1; index >= 0; index--) {
      if (this.#handles[index].tag === tag) return this.#handles[index];
    }
    return undefined;
  }

  /**
   * Sends `signal` (default SIGTERM, then SIGKILL after `killTimeoutMs`) to
   * every running process and its descendants. Their status is 'killed' at once;
   * use stop() to also wait until they are gone. Returns how many were signalled.
   */
  killAll(signal: NodeJS.Signals = 'SIGTERM'): number {
    let count = 0;
    for (const handle of this.#handles) {
      if (handle.isAlive && handle.kill(signal)) count++;
    }
    this.#updateState();
    return count;
  }

  /** Kills everything and resolves once every process has ended and no descendant is left. */
  async stop(): Promise<void> {
    this.killAll();
    await Promise.all(this.#handles.map((handle) => handle.await()));
    for (const handle of this.#handles) handle.killGroup();
  }

  override openResources(): string[] {
    return this.#handles.filter((handle) => handle.isAlive).map(() => 'process');
  }

  protected override async onDispose(): Promise<void> {
    if (this.options.autoCleanup) {
      await this.stop();
      return;
    }
    for (const handle of this.#handles) handle.detach();
  }

  #onHandleEnd(handle: ProcessHandle): void {
    this.#updateState();
    if (handle.status === 'crashed') this.emit('crashed', handle);
    else if (handle.status === 'killed') this.emit('killed', handle);
    else this.emit('exited', handle);
    if (this.#handles.every((each) => !each.isAlive)) this.emit('allStopped');
  }

  #updateState(): void {
    const count = (status: ProcessHandle['status']) => this.#handles.filter((handle) => handle.status === status).length;
    this.state.set({
      spawned: this.#handles.length,
      running: count('running'),
      exited: count('exited'),
      crashed: count('crashed'),
      killed: count('killed'),
    });
  }

  // The assistant tools (see `tools`), also callable from a doc. Each answers with
  // plain JSON: bad input or an unknown process gives a ToolError, not an exception.

  /** Starts `command` in the background (through `sh -c` when `args` is not given); its summary once it has run a moment. */
  spawnProcess(input: ProcessToolInput<'spawnProcess'>) {
    return spawnProcessTool(this, input);
  }

  /** Runs a shell command line to its end (or `timeoutMs`); its exit code and output. */
  runCommand(input: ProcessToolInput<'runCommand'>) {
    return runCommandTool(this, input);
  }

  /** Every process's summary, or those with `status`. */
  listProcesses(input: ProcessToolInput<'listProcesses'> = {}) {
    return listProcessesTool(this, input);
  }

  /** What a process (by `id` or `tag`) printed so far on `stream` [default stdout]: head and tail. */
  getProcessOutput(input: ProcessToolInput<'getProcessOutput'>) {
    return getProcessOutputTool(this, input);
  }

  /** Stops a process (by `id` or `tag`) and its children with `signal` [default SIGTERM]. */
  killProcess(input: ProcessToolInput<'killProcess'>) {
    return killProcessTool(this, input);
  }
}
