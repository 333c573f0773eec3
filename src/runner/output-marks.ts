import { StringDecoder } from 'node:string_decoder';

// An executor's stdout and stderr are pipes the supervisor reads. Between
// blocks the executor writes a mark into each (a NUL-framed token holding a
// secret the doc never sees), so the supervisor knows which block every byte
// belongs to — whoever wrote it: console, a raw process.stdout.write, or a
// child process that inherited the pipe.

/** `close` ends a block's output like `end`, for output nobody waits to see end (see BlockMarks.stray). */
export type MarkKind = 'start' | 'end' | 'close';

const kindLetter = { start: 's', end: 'e', close: 'c' } as const;
const kindOfLetter: Record<string, MarkKind> = { s: 'start', e: 'end', c: 'close' };

/** The mark index of console input `id`: far above any doc's block indexes. */
export function inputMark(id: number): number {
  return 1_000_000 + id;
}

/** The text of a mark: written by the executor, recognised by the supervisor. */
export function markText(secret: string, kind: MarkKind, index: number): string {
  return `\u0000${secret}${kindLetter[kind]}${index}\u0000`;
}

export interface DemuxSink {
  text(index: number | undefined, text: string): void;
  mark(kind: MarkKind, index: number): void;
}

/** Splits one stream's bytes at the marks; text goes to the block whose start mark came last. */
export class OutputDemux {
  readonly #secret: string;
  readonly #pattern: RegExp;
  readonly #decoder = new StringDecoder('utf8');
  readonly #sink: DemuxSink;
  #pending = '';
  #block: number | undefined;

  constructor(secret: string, sink: DemuxSink) {
    this.#secret = secret;
    this.#pattern = new RegExp(`\\u0000${secret}([sec])(\\d+)\\u0000`, 'g');
    this.#sink = sink;
  }

  push(chunk: Buffer): void {
    this.#scan(this.#pending + this.#decoder.write(chunk), false);
  }

  /** Everything still held back (the stream ended). */
  end(): void {
    this.#scan(this.#pending + this.#decoder.end(), true);
  }

  #scan(text: string, final: boolean): void {
    let from = 0;
    this.#pattern.lastIndex = 0;
    for (let match = this.#pattern.exec(text); match; match = this.#pattern.exec(text)) {
      if (match.index > from) this.#sink.text(this.#block, text.slice(from, match.index));
      const index = Number(match[2]);
      const kind = kindOfLetter[match[1]!]!;
      this.#block = index;
      this.#sink.mark(kind, index);
      from = match.index + match[0].length;
    }
    // A NUL near the end may open a mark the next chunk completes: hold it back.
    let keep = text.length;
    if (!final) {
      const nul = text.lastIndexOf('\u0000');
      if (nul >= from && text.length - nul < this.#secret.length + 16 && `\u0000${this.#secret}`.startsWith(text.slice(nul, nul + this.#secret.length + 1))) keep = nul;
    }
    if (keep > from) this.#sink.text(this.#block, text.slice(from, keep));
    this.#pending = text.slice(keep);
  }
}
