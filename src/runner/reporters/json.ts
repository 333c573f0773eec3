import type { RunEvents } from '../events.js';
import type { RunResult } from '../results.js';
import { writeReport } from './report-file.js';

/**
 * The version of the JSON report's shape, described by schema/report.schema.json.
 * Raised with every change to that shape; `runbook merge-reports` reads only this version.
 */
export const reportSchemaVersion = 1;

/** What the JSON reporter writes: a run's results under the version of their shape. */
export type JsonReport = { schemaVersion: typeof reportSchemaVersion } & RunResult;

export function jsonReport(run: RunResult): JsonReport {
  return { schemaVersion: reportSchemaVersion, ...run };
}

/** The whole run as one JSON document: to a file (folders created as needed), or to stdout. */
export class JsonReporter implements RunEvents {
  readonly #file: string | undefined;

  constructor(file?: string) {
    this.#file = file;
  }

  onRunEnd(run: RunResult): void {
    writeReport(`${JSON.stringify(jsonReport(run), null, 2)}\n`, this.#file);
  }
}
