import { fork, type ChildProcess, type IOType } from 'node:child_process';
import { closeSync, openSync, readSync, unlinkSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// An executor's progress register: a small file the executor overwrites as
// each block starts, and the supervisor reads only when it must (at
// a deadline, or when the executor died). A write to a file wakes nobody, so
// an executor can tell the supervisor of its blocks in batches (see
// executor/supervisor-channel.ts) and the supervisor still knows which block
// never gave control back, or was running when the process ended.
//
// The record is six float64s: [epoch, seq, index, limit ms, at, seq]. The
// epoch is the doc run's (a record of an earlier doc is not this one's); seq
// is written at both ends, so a record read while it was being written is seen
// as such; index is the block that started last, at `at`. Whether it ended
// since is for the supervisor to know: a block's end is a message (a held one
// says the block passed in silence).

/**
 * The register's file descriptor in an executor. High, not the next free one:
 * a doc that closed it could otherwise get it back for a file of its own by
 * opening one, and have our writes land in that file.
 */
export const registerFd = 9;

const fields = 6;

/** The block an executor started last, by its register. */
export interface RegisterRecord {
  index: number;
  limitMs: number;
  /** When it started, as performance.timeOrigin + performance.now() in the executor. */
  at: number;
}

// Taken as runbook loads: a doc may replace them while it runs.
const io = { writeSync, readSync };

/**
 * A new register file for an executor, already unlinked (nothing is left
 * behind, whatever happens): the open descriptors are the only way to it.
 * Undefined when the temporary folder cannot take one; the executor then
 * sends each block's start as it happens.
 */
export function createRegisterFile(): number | undefined {
  const path = join(tmpdir(), `runbook-register-${process.pid}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`);
  try {
    const fd = openSync(path, 'wx+', 0o600);
    unlinkSync(path);
    return fd;
  } catch {
    return undefined;
  }
}

/** Closes the supervisor's descriptor of a register (its executor is gone). */
export function closeRegisterFile(fd: number): void {
  try {
    closeSync(fd);
  } catch {
    // Already closed.
  }
}

/** An executor started before runbook itself loaded (bin/runbook.js), whether it said it is ready, and its register. */
export interface EarlyExecutor {
  child: ChildProcess;
  ready: boolean;
  register: number | undefined;
}

/**
 * Notes an early executor's 'ready' until an Executor adopts it. Only that
 * one message: a listener that kept every message would keep all the
 * executor's messages for as long as it lives (it did: a thousand docs' texts
 * and block results in a long run's supervisor).
 */
export function watchEarlyExecutor(child: ChildProcess, register: number | undefined): EarlyExecutor {
  const early: EarlyExecutor = { child, ready: false, register };
  const onMessage = (message: unknown): void => {
    if ((message as { type?: unknown } | null)?.type !== 'ready') return;
    early.ready = true;
    child.off('message', onMessage);
  };
  child.on('message', onMessage);
  return early;
}

/**
 * Starts an executor process: in a process group of its own (so it and all it
 * started can be killed at once), its output read as pipes, its register (if
 * any) at fd 9. 'advanced' (V8's serializer), not JSON: a doc that patches
 * JSON.stringify cannot garble the executor's messages.
 */
export function forkExecutor(script: string, register: number | undefined): ChildProcess {
  const stdio: (IOType | 'ipc' | number)[] = ['ignore', 'pipe', 'pipe', 'ipc'];
  if (register !== undefined) {
    while (stdio.length < registerFd) stdio.push('ignore');
    stdio[registerFd] = register;
  }
  return fork(script, [], { stdio, serialization: 'advanced', detached: true });
}

/** A random epoch for a doc run. */
export function newEpoch(): number {
  return Math.floor(Math.random() * 0x1_0000_0000);
}

/** The executor's end. */
export class RegisterWriter {
  readonly #fd: number;
  readonly #record = new Float64Array(fields);
  readonly #bytes = new Uint8Array(this.#record.buffer);

  constructor(fd: number) {
    this.#fd = fd;
  }

  /** A doc run starts, under its epoch. */
  begin(epoch: number): void {
    this.#record[0] = epoch;
    this.#record[1] = this.#record[5] = 0;
  }

  /** Block `index` started; throws when the file cannot be written (a doc closed the descriptor). */
  started(index: number, limitMs: number, at: number): void {
    const record = this.#record;
    const seq = record[1]! + 1;
    record[1] = record[5] = seq;
    record[2] = index;
    record[3] = limitMs;
    record[4] = at;
    io.writeSync(this.#fd, this.#bytes, 0, this.#bytes.length, 0);
  }
}

/** The supervisor's end: the record of the current run, if the executor wrote one. */
export class RegisterReader {
  readonly #fd: number;
  #epoch = -1;

  constructor(fd: number) {
    this.#fd = fd;
  }

  begin(epoch: number): void {
    this.#epoch = epoch;
  }

  read(): RegisterRecord | undefined {
    const record = new Float64Array(fields);
    const bytes = new Uint8Array(record.buffer);
    // Read again when the executor was writing it at that moment.
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        if (io.readSync(this.#fd, bytes, 0, bytes.length, 0) < bytes.length) return undefined;
      } catch {
        return undefined; // closed: the executor is long gone
      }
      if (record[0] !== this.#epoch) return undefined;
      if (record[1] === record[5]) return { index: record[2]!, limitMs: record[3]!, at: record[4]! };
    }
    return undefined;
  }
}
