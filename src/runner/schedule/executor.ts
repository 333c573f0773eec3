import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ExecutorMessage, FromExecutor, ToExecutor } from '../executor-protocol.js';
import { closeRegisterFile, createRegisterFile, forkExecutor, newEpoch, RegisterReader, type EarlyExecutor, type RegisterRecord } from '../progress-register.js';
import { executorGuard } from '../executor-guard.js';
import { OutputDemux, type MarkKind } from '../output-marks.js';
import { sweepRunSync } from '../process-sweep.js';
import type { StreamName } from '../output-stream.js';

// dist/executor.cjs beside the bundle; from the sources (tests), the built one of this checkout.
function executorScript(): string {
  const beside = fileURLToPath(new URL('./executor.cjs', import.meta.url));
  if (existsSync(beside)) return beside;
  for (let dir = dirname(beside); dirname(dir) !== dir; dir = dirname(dir)) {
    const built = join(dir, 'dist', 'executor.cjs');
    if (existsSync(built)) return built;
  }
  throw new Error(`runbook's executor (dist/executor.cjs) is missing: run 'npm run build'.`);
}

/** Where an executor's output goes: the block whose start mark came last, and whether that block is still open. */
export type OutputSink = (stream: StreamName, index: number | undefined, text: string, open: boolean) => void;

/** How an executor process ended. */
export interface ExitHow {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** How an executor ended, in words for a report. */
export function describeExit(code: number | null, signal: NodeJS.Signals | null): string {
  return signal ? `signal ${signal}` : `exit code ${code}`;
}

/**
 * The supervisor's handle on one executor process: started in a process group
 * of its own (so it and everything it started can be killed at once), its
 * stdout and stderr read as pipes and split at the block marks.
 */
export class Executor {
  readonly child: ChildProcess;
  readonly ready: Promise<void>;
  readonly exited: Promise<ExitHow>;
  /** The last few kB of stderr: what a crash (out of memory, abort) says. */
  stderrTail = '';
  #sink: OutputSink | undefined;
  readonly #open: Record<StreamName, number | undefined> = { stdout: undefined, stderr: undefined };
  readonly #ended = new Map<string, () => void>();
  readonly #seen = new Set<string>();
  #runId: string | undefined;
  #killed = false;
  readonly #exitListeners = new Set<(how: ExitHow) => void>();
  #exit: ExitHow | undefined;
  /** In every message the executor sends (after 'ready'), and in the output marks: the doc never sees it. */
  readonly #secret: string;
  readonly #register: RegisterReader | undefined;
  readonly #listeners = new Set<(message: FromExecutor) => void>();

  /** Starts an executor, or adopts one started early (see startExecutorEarly), ready already or not. */
  constructor(early?: EarlyExecutor) {
    const secret = (this.#secret = randomBytes(12).toString('hex'));
    const registerFile = early ? early.register : createRegisterFile();
    this.child = early?.child ?? forkExecutor(executorScript(), registerFile);
    const pid = this.child.pid;
    if (pid !== undefined) executorGuard.watch(pid);
    if (registerFile !== undefined) this.#register = new RegisterReader(registerFile);
    this.child.send({ type: 'hello', marker: secret, register: registerFile !== undefined } satisfies ToExecutor);
    this.child.on('message', (message: ExecutorMessage) => this.#receive(message));
    for (const stream of ['stdout', 'stderr'] as const) {
      const demux = new OutputDemux(secret, {
        text: (index, text) => {
          if (stream === 'stderr') this.stderrTail = (this.stderrTail + text).slice(-4000);
          this.#sink?.(stream, index, text, this.#open[stream] !== undefined);
        },
        mark: (kind, index) => this.#mark(stream, kind, index),
      });
      this.child[stream]!.on('data', (chunk: Buffer) => demux.push(chunk));
      this.child[stream]!.on('end', () => demux.end());
    }
    this.exited = new Promise((resolve) => {
      if (!this.alive) resolve({ code: this.child.exitCode, signal: this.child.signalCode });
      else this.child.once('exit', (code, signal) => resolve({ code, signal }));
    });
    void this.exited.then((how) => {
      this.#exit = how;
      if (pid !== undefined) executorGuard.forget(pid);
      // Closed after the exit listeners ran: they read where the executor was when it ended.
      if (registerFile !== undefined) setImmediate(() => closeRegisterFile(registerFile));
      for (const listener of this.#exitListeners) listener(how);
      this.#exitListeners.clear();
    });
    this.ready = new Promise<void>((done, fail) => {
      const onReady = (message: FromExecutor) => {
        if (message.type !== 'ready') return;
        this.child.off('message', onReady);
        done();
      };
      this.child.on('message', onReady);
      if (early?.ready) onReady({ type: 'ready' });
      void this.exited.then(({ code, signal }) => fail(new Error(`the executor ended (${describeExit(code, signal)}) before it was ready`)));
    });
    this.ready.catch(() => {});
    // A spare executor must not keep the supervisor alive by itself.
    this.child.unref();
    for (const stream of [this.child.stdout, this.child.stderr]) (stream as unknown as { unref?: () => void }).unref?.();
    this.child.channel?.unref();
  }

  /**
   * Calls `listener` when the executor exits; returns how to stop listening.
   * Unlike a reaction to `exited`, which stays until the executor ends, this
   * lets go of the listener (and all it holds) when a doc is done with it: an
   * executor that runs thousands of docs keeps none of them.
   */
  onExit(listener: (how: ExitHow) => void): () => void {
    const ended = this.#exit;
    if (ended) {
      queueMicrotask(() => listener(ended));
      return () => {};
    }
    this.#exitListeners.add(listener);
    return () => void this.#exitListeners.delete(listener);
  }

  /** False once it exited, or once kill() was called (its exit may not have been seen yet). */
  get alive(): boolean {
    return !this.#killed && this.child.exitCode === null && this.child.signalCode === null;
  }

  /** While a doc runs on it, the executor keeps the supervisor alive. */
  hold(held: boolean): void {
    const method = held ? 'ref' : 'unref';
    this.child[method]();
    this.child.channel?.[method]();
    for (const stream of [this.child.stdout, this.child.stderr]) (stream as unknown as Record<string, (() => void) | undefined>)[method]?.();
  }

  send(message: ToExecutor): void {
    // A verdict for an executor that died meanwhile has nobody to go to (and would be an 'error' event).
    if (!this.child.connected) return;
    if (message.type === 'run') {
      this.#runId = message.runId;
      if (this.#register) {
        const epoch = newEpoch();
        this.#register.begin(epoch);
        message = { ...message, registerEpoch: epoch };
      }
    }
    this.child.send(message);
  }

  /** The executor's own messages: one without the secret came from a doc's process.send and is ignored. */
  onMessage(listener: (message: FromExecutor) => void): () => void {
    this.#listeners.add(listener);
    return () => void this.#listeners.delete(listener);
  }

  /** Where the executor is in the current doc by its register (progress-register.ts), which may be ahead of its messages. */
  progress(): RegisterRecord | undefined {
    return this.#register?.read();
  }

  #receive(message: ExecutorMessage): void {
    if (message?.token !== this.#secret) return;
    if (message.type === 'batch') {
      for (const each of message.messages) this.#deliver(each);
    } else this.#deliver(message);
  }

  #deliver(message: FromExecutor): void {
    for (const listener of this.#listeners) listener(message);
  }

  setOutput(sink: OutputSink | undefined): void {
    this.#sink = sink;
  }

  /** Resolves once `streams` carried block `index`'s end mark, or after `waitMs` (a doc may have closed its streams). */
  async endMarks(index: number, streams: StreamName[], waitMs = 2000): Promise<void> {
    if (!streams.length) return;
    const wait = (stream: StreamName) => {
      const key = `${stream}:${index}`;
      if (this.#seen.delete(key)) return Promise.resolve();
      return new Promise<void>((resolve) => this.#ended.set(key, resolve));
    };
    let timer: NodeJS.Timeout | undefined;
    let stopListening = () => {};
    const exit = new Promise<void>((resolve) => (stopListening = this.onExit(() => resolve())));
    await Promise.race([Promise.all(streams.map(wait)), new Promise((resolve) => (timer = setTimeout(resolve, waitMs))), exit]);
    clearTimeout(timer);
    stopListening();
    this.#ended.delete(`stdout:${index}`);
    this.#ended.delete(`stderr:${index}`);
  }

  #mark(stream: StreamName, kind: MarkKind, index: number): void {
    this.#open[stream] = kind === 'start' ? index : undefined;
    if (kind !== 'end') return;
    const key = `${stream}:${index}`;
    const waiter = this.#ended.get(key);
    if (waiter) {
      this.#ended.delete(key);
      waiter();
    } else this.#seen.add(key);
  }

  /**
   * Kills the executor with its whole process group, and every process still
   * carrying the run id of its doc (detached, or in a session of its own).
   * Returns how many such strays were found. `sweep: false` for an idle
   * executor whose last doc ended clean: it already swept that doc's processes,
   * and a sweep reads every process's environment.
   */
  kill({ sweep = true }: { sweep?: boolean } = {}): number {
    this.#killed = true;
    if (this.child.pid !== undefined) executorGuard.forget(this.child.pid);
    try {
      process.kill(-this.child.pid!, 'SIGKILL');
    } catch {
      this.child.kill('SIGKILL');
    }
    return sweep && this.#runId ? sweepRunSync(this.#runId) : 0;
  }
}
