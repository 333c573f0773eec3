import type { RunEvents } from '../events.js';
import type { RunResult } from '../results.js';
import { writeReport } from './report-file.js';

/** The whole run as one JSON document: to a file (folders created as needed), or to stdout. */
export class JsonReporter implements RunEvents {
  readonly #file: string | undefined;

  constructor(file?: string) {
    this.#file = file;
  }

  onRunEnd(run: RunResult): void {
    writeReport(`${JSON.stringify(run, null, 2)}\n`, this.#file);
  }
}
