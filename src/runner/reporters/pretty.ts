import type { DocStart, RunEvents } from '../events.js';
import type { DocResult, DocStatus, RunResult } from '../results.js';
import { colorsFor, docFailures, formatDuration, runCounts, type Colors } from './format.js';
import { ProgressLine, type ProgressLineOptions } from './progress-line.js';
import { runRecap } from './run-recap.js';

/**
 * One line per doc (PASS/FAIL/SKIP/NOT RUN with time), failures in detail;
 * after several docs the failures and skips again, then a summary line; in a
 * terminal, a live progress line below them while several docs run.
 */
export class PrettyReporter implements RunEvents {
  readonly #out: NodeJS.WriteStream;
  readonly #c: Colors;
  readonly #progress: ProgressLine;

  constructor(out: NodeJS.WriteStream = process.stdout, progress?: ProgressLineOptions) {
    this.#out = out;
    this.#c = colorsFor(out);
    this.#progress = new ProgressLine(out, progress);
  }

  onRunStart(docs: string[]): void {
    this.#progress.onRunStart(docs);
  }

  onDocStart(doc: DocStart): void {
    this.#progress.onDocStart(doc);
  }

  onDocEnd(doc: DocResult): void {
    const c = this.#c;
    const ran = doc.blocks.filter((b) => b.status !== 'skipped').length;
    const timing = c.dim(`${ran} block${ran === 1 ? '' : 's'}, ${formatDuration(doc.durationMs)}`);
    const byStatus: Record<DocStatus, [label: string, detail: string]> = {
      passed: [c.bgGreen(c.black(' PASS ')), timing],
      failed: [c.bgRed(c.white(' FAIL ')), timing],
      skipped: [c.bgYellow(c.black(' SKIP ')), c.yellow(doc.skipReason ?? '')],
      'not-run': [c.bgBlue(c.black(' NOT RUN ')), c.dim(`no block ran: ${doc.skipReason ?? ''}`)],
    };
    const [label, detail] = byStatus[doc.status];
    const lines = [`${label} ${doc.path} ${detail}`];
    if (doc.status === 'failed') lines.push(...docFailures(doc, c), '');
    if (doc.cleanedUp.length) lines.push(c.dim(`       cleaned up: ${doc.cleanedUp.join(', ')}`));
    for (const warning of doc.warnings) lines.push(c.yellow(`       warning: ${warning}`));
    // The write clears the old progress line; the new counts are drawn below the doc's lines.
    this.#out.write(`${lines.join('\n')}\n`);
    this.#progress.onDocEnd(doc);
  }

  onRunEnd(run: RunResult): void {
    this.#progress.onRunEnd();
    const c = this.#c;
    const counts = runCounts(run);
    // One doc's failure is right above; a run of many has scrolled its failures away.
    const recap = run.docs.length > 1 ? runRecap(run, c) : [];
    this.#out.write(`${[...recap, ''].join('\n')}\ndocs: ${run.failed ? c.red(counts) : c.green(counts)}\n${c.dim(`time: ${formatDuration(run.durationMs)}`)}\n`);
  }
}
