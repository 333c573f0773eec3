import { streamMaskerOf } from '../mask-secrets.js';
import type { StreamName } from '../output-stream.js';

/**
 * A doc's output as reporters see it live. It is masked as it streams (a
 * secret split across two chunks is held back until it is whole), and a
 * block's output is shown only once the block's start was reported: the
 * executor's pipes and its messages race each other.
 */
export class LiveOutput {
  readonly #maskers: Record<StreamName, ReturnType<typeof streamMaskerOf>>;
  readonly #show: (stream: StreamName, index: number | undefined, text: string) => void;
  readonly #announced = new Set<number>();
  readonly #early = new Map<number, [StreamName, string][]>();
  #lastIndex: number | undefined;

  /** `show` gets masked text: for a block, or (index undefined) from before any block. */
  constructor(secrets: readonly string[], show: (stream: StreamName, index: number | undefined, text: string) => void) {
    this.#maskers = { stdout: streamMaskerOf(secrets), stderr: streamMaskerOf(secrets) };
    this.#show = (stream, index, text) => text && show(stream, index, text);
  }

  write(stream: StreamName, index: number | undefined, text: string): void {
    if (index !== undefined && !this.#announced.has(index)) {
      const held = this.#early.get(index) ?? [];
      held.push([stream, text]);
      this.#early.set(index, held);
      return;
    }
    this.#lastIndex = index;
    this.#show(stream, index, this.#maskers[stream].push(text));
  }

  /** The block's start was reported: what it printed so far may be shown. */
  announce(index: number): void {
    this.#announced.add(index);
    for (const [stream, text] of this.#early.get(index) ?? []) this.write(stream, index, text);
    this.#early.delete(index);
  }

  /** Shows what the maskers held back (a block ended, or the executor did). */
  flush(): void {
    for (const stream of ['stdout', 'stderr'] as const) this.#show(stream, this.#lastIndex, this.#maskers[stream].flush());
  }
}
