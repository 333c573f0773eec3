import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { RunEvents } from './events.js';
import type { DocResult } from './results.js';
import type { RunOptions } from './run-options.js';
import { writeBack } from './write-back.js';
import type { FromWorker, ToWorker } from './worker-protocol.js';

const workerPath = fileURLToPath(new URL('./worker.js', import.meta.url));

/** How long past a doc's own limits the parent waits before it calls a worker hung. */
const hungGraceMs = 5000;

interface Slot {
  child: ChildProcess;
  ready: Promise<void>;
  busy: boolean;
}

function docFailure(path: string, message: string): DocResult {
  let title = path;
  try {
    title = /^#\s+(.+)$/m.exec(readFileSync(path, 'utf8'))?.[1] ?? path;
  } catch {
    // The doc is unreadable; its path will do.
  }
  return { path, title, tags: [], status: 'failed', durationMs: 0, blocks: [], error: { message, code: 'RUNBOOK_WORKER_LOST' }, cleanedUp: [], stamped: false, warnings: [] };
}

/**
 * Runs docs in up to `size` worker processes, each doc in a fresh context and
 * container. A worker whose doc left it changed (timed out, faulted, moved
 * cwd/env, could not be cleaned up) or that died is replaced, never reused.
 */
export class WorkerPool {
  readonly #size: number;
  readonly #slots = new Set<Slot>();
  readonly #idle: Slot[] = [];
  readonly #waiting: ((slot: Slot) => void)[] = [];
  #closed = false;

  constructor(size: number) {
    this.#size = Math.max(1, size);
  }

  async run(path: string, options: RunOptions, events: RunEvents): Promise<DocResult> {
    const slot = await this.#acquire();
    try {
      await slot.ready;
    } catch (error) {
      this.#retire(slot);
      const result = docFailure(path, `Could not start a worker process: ${(error as Error).message}. Try --jobs 1 to run docs in the runner's own process.`);
      events.onDocEnd?.(result);
      return result;
    }
    return new Promise<DocResult>((settle) => {
      let finished = false;
      const finish = (result: DocResult, reuse: boolean) => {
        if (finished) return;
        finished = true;
        clearTimeout(hung);
        slot.child.off('message', onMessage);
        slot.child.off('exit', onExit);
        if (reuse) this.#release(slot);
        else this.#retire(slot);
        settle(result);
      };
      // The worker never stamps a doc it did not finish: the parent records the failure,
      // unless the run itself is being stopped (SIGINT/SIGTERM stamps nothing).
      const lost = (message: string) => {
        const result = docFailure(path, message);
        if (options.stamp && !this.#closed) {
          try {
            result.stamped = writeBack(resolve(path), { stamp: { lastTested: new Date().toISOString(), lastTestPassed: false }, updates: [] }, path, result.warnings);
          } catch (error) {
            result.warnings.push((error as Error).message);
          }
        }
        events.onDocEnd?.(result);
        finish(result, false);
      };
      const onMessage = (message: FromWorker) => {
        if (message.type === 'event') {
          if (message.hook === 'onBlockStart') expectWithin(Number(message.args[2]) + hungGraceMs);
          else if (message.hook === 'onBlockEnd') expectWithin(options.timeout + hungGraceMs);
          (events[message.hook] as ((...args: unknown[]) => void) | undefined)?.(...message.args);
        }
        else if (message.type === 'done') {
          events.onDocEnd?.(message.result);
          finish(message.result, message.reusable);
        }
      };
      const onExit = (code: number | null, signal: NodeJS.Signals | null) => {
        if (this.#closed) lost('The run was interrupted before this doc finished; its worker cleaned up and nothing was stamped.');
        else lost(`The worker process running this doc died (${signal ? `signal ${signal}` : `exit code ${code}`}) before the doc finished. A doc cannot end the runner: look for a crash in native code or a kill from outside.`);
      };
      // Between blocks the worker answers quickly; during one, it may take the block's own limit.
      let hung: NodeJS.Timeout | undefined;
      const expectWithin = (ms: number) => {
        clearTimeout(hung);
        hung = setTimeout(() => {
          slot.child.kill('SIGKILL');
          lost(`The worker process stopped responding for more than ${Math.round(ms / 1000)} s and was killed.`);
        }, ms);
      };
      expectWithin(options.timeout + hungGraceMs);
      slot.child.on('message', onMessage);
      slot.child.once('exit', onExit);
      const message: ToWorker = { type: 'run', path, options };
      slot.child.send(message);
    });
  }

  /** Stops every worker: gracefully (they clean up their doc), then by force. */
  async close(signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
    this.#closed = true;
    const exits = [...this.#slots].map(
      (slot) =>
        new Promise<void>((done) => {
          if (slot.child.exitCode !== null || slot.child.signalCode !== null) return done();
          const force = setTimeout(() => slot.child.kill('SIGKILL'), 3000);
          slot.child.once('exit', () => {
            clearTimeout(force);
            done();
          });
          if (slot.busy) slot.child.kill(signal);
          else slot.child.disconnect();
        }),
    );
    await Promise.all(exits);
  }

  #spawn(): Slot {
    // Piped rather than inherited, so that what a worker prints passes through this
    // process's streams, where the progress line can step aside for it.
    const child = fork(workerPath, [], { stdio: ['ignore', 'pipe', 'pipe', 'ipc'], serialization: 'advanced' });
    child.stdout?.on('data', (chunk: Buffer) => process.stdout.write(chunk));
    child.stderr?.on('data', (chunk: Buffer) => process.stderr.write(chunk));
    const ready = new Promise<void>((done, fail) => {
      const onReady = (message: FromWorker) => {
        if (message.type !== 'ready') return;
        child.off('message', onReady);
        done();
      };
      child.on('message', onReady);
      child.once('exit', (code) => fail(new Error(`worker exited with code ${code} before it was ready`)));
    });
    ready.catch(() => {});
    const slot: Slot = { child, ready, busy: false };
    this.#slots.add(slot);
    return slot;
  }

  async #acquire(): Promise<Slot> {
    const idle = this.#idle.pop();
    const slot = idle ?? (this.#slots.size < this.#size ? this.#spawn() : await new Promise<Slot>((give) => this.#waiting.push(give)));
    slot.busy = true;
    return slot;
  }

  #release(slot: Slot): void {
    slot.busy = false;
    const next = this.#waiting.shift();
    if (next) {
      slot.busy = true;
      next(slot);
    } else this.#idle.push(slot);
  }

  #retire(slot: Slot): void {
    this.#slots.delete(slot);
    if (slot.child.exitCode === null && slot.child.signalCode === null) {
      slot.child.once('exit', () => {});
      slot.child.kill('SIGKILL');
    }
    const next = this.#waiting.shift();
    if (next && !this.#closed) {
      const fresh = this.#spawn();
      fresh.busy = true;
      next(fresh);
    }
  }
}
