/** Limits of an OutputBuffer. */
export interface OutputBufferLimits {
  /** Lines kept from the start of the stream. [default 20] */
  headLines: number;
  /** Lines kept from the end of the stream. [default 50] */
  tailLines: number;
  /** Longer lines are cut to this many characters (a process may print megabytes without a newline). [default 10000] */
  maxLineLength: number;
}

export const defaultOutputLimits: OutputBufferLimits = { headLines: 20, tailLines: 50, maxLineLength: 10_000 };

/** What an OutputBuffer holds, as plain JSON. */
export interface OutputSnapshot {
  head: string[];
  tail: string[];
  /** Lines seen but kept in neither head nor tail. */
  droppedLines: number;
  totalLines: number;
  totalBytes: number;
}

/**
 * Keeps the first and last lines of a stream and counts the rest, so a process
 * printing gigabytes costs a few kilobytes. Text after the last newline is held
 * as a partial line until the next newline or `end()`.
 */
export class OutputBuffer {
  readonly limits: OutputBufferLimits;
  readonly head: string[] = [];
  #tail: string[] = [];
  #dropped = 0;
  #total = 0;
  #bytes = 0;
  #partial = '';
  // The partial line hit maxLineLength: ignore text until its newline.
  #partialCut = false;

  constructor(limits: Partial<OutputBufferLimits> = {}) {
    this.limits = { ...defaultOutputLimits, ...limits };
  }

  get tail(): readonly string[] {
    return this.#tail;
  }

  get droppedLines(): number {
    return this.#dropped;
  }

  /** Complete lines seen so far (plus the partial one, if any). */
  get totalLines(): number {
    return this.#total + (this.#partial || this.#partialCut ? 1 : 0);
  }

  get totalBytes(): number {
    return this.#bytes;
  }

  push(chunk: string): void {
    if (chunk.length === 0) return;
    this.#bytes += Buffer.byteLength(chunk);
    const lastNewline = chunk.lastIndexOf('\n');
    if (lastNewline < 0) {
      this.#growPartial(chunk);
      return;
    }
    // Finish the pending partial line with the text before the first newline.
    const firstNewline = chunk.indexOf('\n');
    this.#growPartial(chunk.slice(0, firstNewline));
    this.#addLine(this.#partial);
    this.#partial = '';
    this.#partialCut = false;
    if (lastNewline > firstNewline) this.#addLines(chunk, firstNewline + 1, lastNewline);
    this.#growPartial(chunk.slice(lastNewline + 1));
  }

  /** Flushes the partial last line (a stream that did not end with a newline). */
  end(): void {
    if (this.#partial || this.#partialCut) this.#addLine(this.#partial);
    this.#partial = '';
    this.#partialCut = false;
  }

  /** Head, an omission marker, and tail, as one string. */
  text(): string {
    const lines = [...this.head];
    if (this.#dropped > 0) lines.push(`… ${this.#dropped} line${this.#dropped === 1 ? '' : 's'} omitted …`);
    lines.push(...this.#tail);
    if (this.#partial) lines.push(this.#partial);
    return lines.join('\n');
  }

  toJSON(): OutputSnapshot {
    const tail = this.#partial ? [...this.#tail, this.#partial] : [...this.#tail];
    return { head: [...this.head], tail, droppedLines: this.#dropped, totalLines: this.totalLines, totalBytes: this.#bytes };
  }

  #growPartial(text: string): void {
    if (this.#partialCut || text.length === 0) return;
    this.#partial += text;
    if (this.#partial.length > this.limits.maxLineLength) {
      this.#partial = this.#cut(this.#partial);
      this.#partialCut = true;
    }
  }

  #cut(line: string): string {
    return line.length > this.limits.maxLineLength ? `${line.slice(0, this.limits.maxLineLength)}…` : line;
  }

  #addLine(line: string): void {
    this.#total++;
    if (this.head.length < this.limits.headLines) {
      this.head.push(this.#cut(line));
      return;
    }
    if (this.limits.tailLines === 0) {
      this.#dropped++;
      return;
    }
    this.#tail.push(this.#cut(line));
    if (this.#tail.length > this.limits.tailLines) {
      this.#tail.shift();
      this.#dropped++;
    }
  }

  // Lines in text[start, end) where text[end] is '\n'. Only the lines that can
  // be kept are sliced out; the ones in between are merely counted.
  #addLines(text: string, start: number, end: number): void {
    let position = start;
    while (this.head.length < this.limits.headLines && position <= end) {
      const newline = text.indexOf('\n', position);
      this.#addLine(text.slice(position, newline));
      position = newline + 1;
    }
    if (position > end) return;
    // Walk back from the end to find the lines the tail can hold.
    const keep: string[] = [];
    let lineEnd = end;
    while (keep.length < this.limits.tailLines) {
      const previous = lineEnd > position ? text.lastIndexOf('\n', lineEnd - 1) : -1;
      const lineStart = previous < position ? position : previous + 1;
      keep.push(text.slice(lineStart, lineEnd));
      if (previous < position) {
        lineEnd = -1;
        break;
      }
      lineEnd = previous;
    }
    let skipped = 0;
    if (lineEnd >= position) {
      // Count the lines in text[position, lineEnd] that nobody will see.
      for (let at = text.indexOf('\n', position); at >= 0 && at <= lineEnd; at = text.indexOf('\n', at + 1)) skipped++;
    }
    this.#total += skipped;
    this.#dropped += skipped;
    for (let index = keep.length - 1; index >= 0; index--) this.#addLine(keep[index]);
  }
}
