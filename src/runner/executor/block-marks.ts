import { createRequire, syncBuiltinESMExports } from 'node:module';
import { markText } from '../output-marks.js';
import type { StreamName } from '../output-stream.js';

type Write = (chunk: unknown, ...rest: unknown[]) => boolean;

const nodeRequire = createRequire(import.meta.url);
const streamOfFd: Record<number, StreamName> = { 1: 'stdout', 2: 'stderr' };

/**
 * Writes the marks that tell the supervisor which block printed what (see
 * output-marks.ts), lazily: a stream gets a block's start mark just before the
 * block's first write to it, and an end mark only if it got a start. Most
 * blocks print nothing, and each mark is a write to a pipe.
 */
export class BlockMarks {
  readonly #secret: () => string;
  readonly #beforeFirstMark: () => void;
  readonly #write: Record<StreamName, Write>;
  #open: number | undefined;
  #marked: Record<StreamName, boolean> = { stdout: false, stderr: false };
  // The doc's last block, and the streams written to since it ended (by a callback it left): that
  // output is the block's too, marked as such (see stray), until the next block starts or the doc ends.
  #last: number | undefined;
  #strayed: Record<StreamName, boolean> = { stdout: false, stderr: false };

  /**
   * Wraps process.stdout.write and process.stderr.write (once, before any doc runs).
   * `beforeFirstMark` runs before a block's first mark is written.
   */
  constructor(secret: () => string, beforeFirstMark: () => void = () => {}) {
    this.#secret = secret;
    this.#beforeFirstMark = beforeFirstMark;
    this.#write = { stdout: process.stdout.write.bind(process.stdout) as Write, stderr: process.stderr.write.bind(process.stderr) as Write };
    for (const stream of ['stdout', 'stderr'] as const) {
      const target = process[stream];
      const write = this.#write[stream];
      target.write = ((chunk: unknown, ...rest: unknown[]) => {
        this.#ensure(stream);
        return write(chunk, ...rest);
      }) as typeof target.write;
    }
    // fs.writeSync(1, …) and fs.write(2, …) reach the same pipes around the streams.
    const fs = nodeRequire('node:fs') as Record<string, (fd: unknown, ...rest: unknown[]) => unknown>;
    for (const name of ['writeSync', 'write']) {
      const real = fs[name]!;
      fs[name] = { [name]: (fd: unknown, ...rest: unknown[]) => {
        const stream = typeof fd === 'number' ? streamOfFd[fd] : undefined;
        if (stream) this.#ensure(stream);
        return real(fd, ...rest);
      } }[name]!;
    }
    syncBuiltinESMExports();
  }

  /** A block starts: its marks are written when it first prints. */
  start(index: number): void {
    if (this.#strayed.stdout || this.#strayed.stderr) this.#closeStrays('close');
    this.#open = this.#last = index;
    this.#marked.stdout = this.#marked.stderr = false;
  }

  /** Both streams marked now: a child process that inherits them writes straight to the pipes. */
  startBoth(): void {
    this.#ensure('stdout');
    this.#ensure('stderr');
  }

  /** The block ended: closes the streams it printed to; returns them (the supervisor waits for their end marks). */
  end(): StreamName[] {
    const index = this.#open;
    this.#open = undefined;
    if (index === undefined) return [];
    if (!this.#marked.stdout && !this.#marked.stderr) return [];
    const marked = (['stdout', 'stderr'] as const).filter((stream) => this.#marked[stream]);
    for (const stream of marked) this.#write[stream](markText(this.#secret(), 'end', index));
    return marked;
  }

  /**
   * The doc is done: closes what its last block's callbacks printed after the
   * block ended, and returns where (the supervisor reads up to those marks, so
   * that the output is in the doc's result, not lost in a race with 'done').
   */
  docEnd(): { index: number; streams: StreamName[] } | undefined {
    const index = this.#last;
    const streams = this.#closeStrays('end');
    this.#last = undefined;
    return index !== undefined && streams.length ? { index, streams } : undefined;
  }

  // `end` when the supervisor waits for it (the doc is done), else `close`.
  #closeStrays(kind: 'end' | 'close'): StreamName[] {
    const strayed = (['stdout', 'stderr'] as const).filter((stream) => this.#strayed[stream]);
    for (const stream of strayed) this.#write[stream](markText(this.#secret(), kind, this.#last!));
    this.#strayed = { stdout: false, stderr: false };
    return strayed;
  }

  // Output between blocks: the last block's (nothing else of the doc runs), once the block is over.
  #stray(stream: StreamName): void {
    if (this.#last === undefined || this.#strayed[stream]) return;
    this.#strayed[stream] = true;
    this.#write[stream](markText(this.#secret(), 'start', this.#last));
  }

  #ensure(stream: StreamName): void {
    if (this.#open === undefined) return this.#stray(stream);
    if (this.#marked[stream]) return;
    if (!this.#marked.stdout && !this.#marked.stderr) this.#beforeFirstMark();
    this.#marked[stream] = true;
    this.#write[stream](markText(this.#secret(), 'start', this.#open));
  }
}
