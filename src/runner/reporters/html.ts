import type { DocStart, RunEvents } from '../events.js';
import type { RunResult } from '../results.js';
import { writeReport } from './report-file.js';

/**
 * The run as one self-contained HTML page, written at the end of the run to
 * `file` (or stdout). It is built from the results alone, as the JSON report
 * is; the text each doc ran with is kept as it starts, for its prose and code
 * (a report from results alone reads the docs from disk instead).
 */
export class HtmlReporter implements RunEvents {
  readonly #file: string | undefined;
  readonly #texts = new Map<string, string>();

  constructor(file?: string) {
    this.#file = file;
  }

  onDocStart(doc: DocStart): void {
    this.#texts.set(doc.path, doc.text);
  }

  async onRunEnd(run: RunResult): Promise<void> {
    // Loaded here: the page's modules and the Markdown renderer cost nothing to runs without this reporter.
    const { htmlReport } = await import('./html/page-html.js');
    writeReport(htmlReport(run, this.#texts), this.#file);
  }
}
