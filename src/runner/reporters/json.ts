import { writeFileSync } from 'node:fs';
import type { RunEvents } from '../events.js';
import type { RunResult } from '../results.js';

/** The whole run as one JSON document: to a file, or to stdout. */
export class JsonReporter implements RunEvents {
  readonly #file: string | undefined;

  constructor(file?: string) {
    this.#file = file;
  }

  onRunEnd(run: RunResult): void {
    const json = `${JSON.stringify(run, null, 2)}\n`;
    if (this.#file) writeFileSync(this.#file, json);
    else process.stdout.write(json);
  }
}
