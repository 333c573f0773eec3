import type { DocStart, RunEvents } from '../events.js';
import type { DocResult } from '../results.js';

/** Carriage return + erase the whole line: where the status line was is blank again. */
export const clearLine = '\r\x1b[2K';

type Write = NodeJS.WriteStream['write'];

export interface ProgressLineOptions {
  /** Environment to read `CI` from. Default: process.env. */
  env?: NodeJS.ProcessEnv;
  /**
   * Other streams that print to the same terminal; their writes clear the line
   * first too. Default: process.stderr when it is a TTY.
   */
  shared?: NodeJS.WriteStream[];
}

/** Whether a live status line belongs on `out`: a terminal, and not a CI log. */
export function progressWanted(out: NodeJS.WriteStream, env: NodeJS.ProcessEnv = process.env): boolean {
  const ci = env.CI !== undefined && env.CI !== '' && env.CI !== '0' && env.CI !== 'false';
  return Boolean(out.isTTY) && !ci;
}

/**
 * A live status line for runs of several docs: done/total, failures so far and
 * the docs running now. It is redrawn in place, and any other write to the
 * terminal clears it first and redraws it after the line is complete.
 */
export class ProgressLine implements RunEvents {
  readonly #out: NodeJS.WriteStream;
  readonly #enabled: boolean;
  readonly #streams: NodeJS.WriteStream[];
  readonly #originals = new Map<NodeJS.WriteStream, Write>();
  readonly #restore: (() => void)[] = [];
  readonly #running = new Set<string>();
  #active = false;
  #total = 0;
  #done = 0;
  #failed = 0;
  /** What the terminal shows now, or undefined when the line is cleared. */
  #shown: string | undefined;
  #atLineStart = true;
  #redrawQueued = false;

  constructor(out: NodeJS.WriteStream = process.stdout, options: ProgressLineOptions = {}) {
    this.#out = out;
    this.#enabled = progressWanted(out, options.env);
    const shared = options.shared ?? (process.stderr.isTTY ? [process.stderr] : []);
    this.#streams = [out, ...shared.filter((s) => s !== out)];
  }

  onRunStart(docs: string[]): void {
    this.#total = docs.length;
    this.#active = this.#enabled && docs.length > 1;
    if (!this.#active) return;
    for (const stream of this.#streams) this.#intercept(stream);
    this.#draw();
  }

  onDocStart(doc: DocStart): void {
    this.#running.add(doc.path);
    this.#draw();
  }

  onDocEnd(doc: DocResult): void {
    this.#running.delete(doc.path);
    this.#done++;
    if (doc.status === 'failed') this.#failed++;
    this.#draw();
  }

  onRunEnd(): void {
    if (!this.#active) return;
    this.#clear();
    this.#active = false;
    for (const restore of this.#restore.splice(0)) restore();
  }

  /** The status text, cut to the terminal width. */
  text(): string {
    const parts = [`${this.#done}/${this.#total} docs`];
    if (this.#failed) parts.push(`${this.#failed} failed`);
    if (this.#running.size) parts.push(`running: ${[...this.#running].join(', ')}`);
    const line = parts.join(' · ');
    const width = Math.max(20, (this.#out.columns || 80) - 1);
    return line.length > width ? `${line.slice(0, width - 1)}…` : line;
  }

  #draw(): void {
    if (!this.#active || !this.#atLineStart) return;
    const text = this.text();
    if (text === this.#shown) return;
    this.#rawWrite(`${clearLine}${text}`);
    this.#shown = text;
  }

  #clear(): void {
    if (this.#shown === undefined) return;
    this.#rawWrite(clearLine);
    this.#shown = undefined;
  }

  #rawWrite(text: string): void {
    (this.#originals.get(this.#out) ?? this.#out.write).call(this.#out, text);
  }

  // Every write to the terminal goes through here while the line is shown, so
  // output from anywhere never lands on top of it.
  #intercept(stream: NodeJS.WriteStream): void {
    const own = Object.prototype.hasOwnProperty.call(stream, 'write');
    const original = stream.write;
    this.#originals.set(stream, original);
    const patched = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
      this.#clear();
      const text = typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
      if (text.length) this.#atLineStart = text.endsWith('\n');
      this.#queueRedraw();
      return (original as (...args: unknown[]) => boolean).call(stream, chunk, ...rest);
    }) as Write;
    stream.write = patched;
    this.#restore.push(() => {
      if (own) stream.write = original;
      else delete (stream as { write?: Write }).write;
    });
  }

  // Coalesces a burst of writes into one redraw.
  #queueRedraw(): void {
    if (this.#redrawQueued) return;
    this.#redrawQueued = true;
    queueMicrotask(() => {
      this.#redrawQueued = false;
      this.#draw();
    });
  }
}
