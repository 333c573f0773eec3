/**
 * Newline-delimited JSON framing: one JSON value per line, `\n` between them.
 * The decoder is transport-free (feed it chunks) so it can be tested with
 * arbitrary chunk boundaries, including ones that split a UTF-8 character.
 */

/** Default largest frame accepted: 1 MiB. */
export const DEFAULT_MAX_FRAME_BYTES = 1024 * 1024;

const NEWLINE = 0x0a;
const PREVIEW_CHARS = 120;

export interface MalformedFrame {
  /** The start of the offending line, for the report. */
  preview: string;
  /** What JSON.parse said. */
  reason: string;
}

export interface OversizedFrame {
  /** Bytes of the frame seen before giving up (more than `limit`). */
  bytes: number;
  limit: number;
}

export interface JsonLinesHandlers {
  message(value: unknown): void;
  /** A line that is not JSON: it is dropped and decoding carries on. */
  malformed(frame: MalformedFrame): void;
  /** A frame over the limit: decoding stops for good; the owner should close the connection. */
  oversized(frame: OversizedFrame): void;
}

/** Serialises one message as a frame. Throws on values JSON cannot represent (e.g. BigInt). */
export function encodeJsonLine(value: unknown): string {
  const text = JSON.stringify(value);
  if (text === undefined) {
    throw new TypeError(`Cannot send ${typeof value} as a JSON line: only JSON-serialisable values can be sent.`);
  }
  return `${text}\n`;
}

/**
 * Splits a byte stream into JSON values. Bytes are buffered (not strings), so a
 * multi-byte character split across chunks decodes correctly, and memory use
 * is bounded by `maxFrameBytes`.
 */
export class JsonLinesDecoder {
  readonly maxFrameBytes: number;
  readonly #handlers: JsonLinesHandlers;
  #pending: Buffer[] = [];
  #pendingBytes = 0;
  #stopped = false;

  /** @param options.maxFrameBytes largest accepted line in bytes, newline excluded [default 1048576] */
  constructor(handlers: JsonLinesHandlers, options: { maxFrameBytes?: number } = {}) {
    this.#handlers = handlers;
    this.maxFrameBytes = options.maxFrameBytes ?? DEFAULT_MAX_FRAME_BYTES;
  }

  /** Bytes of an incomplete frame waiting for its newline. */
  get bufferedBytes(): number {
    return this.#pendingBytes;
  }

  /** True after an oversized frame: further input is ignored. */
  get stopped(): boolean {
    return this.#stopped;
  }

  push(chunk: Buffer | string): void {
    let rest = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    while (!this.#stopped && rest.length > 0) {
      const newline = rest.indexOf(NEWLINE);
      if (newline === -1) {
        this.#buffer(rest);
        return;
      }
      const head = rest.subarray(0, newline);
      rest = rest.subarray(newline + 1);
      if (this.#pendingBytes + head.length > this.maxFrameBytes) {
        this.#stop(this.#pendingBytes + head.length);
        return;
      }
      const line = this.#pendingBytes === 0 ? head : Buffer.concat([...this.#pending, head]);
      this.#pending = [];
      this.#pendingBytes = 0;
      this.#deliver(line);
    }
  }

  #buffer(part: Buffer): void {
    if (this.#pendingBytes + part.length > this.maxFrameBytes) {
      this.#stop(this.#pendingBytes + part.length);
      return;
    }
    this.#pending.push(part);
    this.#pendingBytes += part.length;
  }

  #stop(bytes: number): void {
    this.#stopped = true;
    this.#pending = [];
    this.#pendingBytes = 0;
    this.#handlers.oversized({ bytes, limit: this.maxFrameBytes });
  }

  #deliver(line: Buffer): void {
    const text = line.toString('utf8').trim();
    // Blank lines (keep-alives, a stray \r\n) are not frames.
    if (text === '') return;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      const preview = text.length > PREVIEW_CHARS ? `${text.slice(0, PREVIEW_CHARS)}…` : text;
      this.#handlers.malformed({ preview, reason: (error as Error).message });
      return;
    }
    this.#handlers.message(value);
  }
}
