import { Console } from 'node:console';
import { Writable } from 'node:stream';

export type StreamName = 'stdout' | 'stderr';

/**
 * The doc's console: everything it prints goes to the current block's buffers
 * (for expected-output checks and reports) and to a live listener (for the
 * literate reporter).
 */
export class OutputCapture {
  stdout = '';
  stderr = '';
  readonly console: Console;
  #listener: ((stream: StreamName, text: string) => void) | undefined;

  constructor(listener?: (stream: StreamName, text: string) => void) {
    this.#listener = listener;
    this.console = new Console({ stdout: this.#stream('stdout'), stderr: this.#stream('stderr'), colorMode: false });
  }

  /** Starts a fresh buffer for the next block. */
  reset(): void {
    this.stdout = '';
    this.stderr = '';
  }

  write(stream: StreamName, text: string): void {
    this[stream] += text;
    this.#listener?.(stream, text);
  }

  #stream(name: StreamName): Writable {
    return new Writable({
      decodeStrings: false,
      write: (chunk: string | Buffer, _encoding, done) => {
        this.write(name, String(chunk));
        done();
      },
    });
  }
}
