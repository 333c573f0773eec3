import type { DocStart, RunEvents } from '../events.js';
import type { DocResult, RunResult } from '../results.js';
import { colorsFor, docFailures, formatDuration, type Colors } from './format.js';
import { ProgressLine, type ProgressLineOptions } from './progress-line.js';

/**
 * One line per doc (PASS/FAIL/SKIP with time), failures in detail, a summary
 * line; in a terminal, a live progress line below them while several docs run.
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
    const label = doc.status === 'passed' ? c.bgGreen(c.black(' PASS ')) : doc.status === 'failed' ? c.bgRed(c.white(' FAIL ')) : c.bgYellow(c.black(' SKIP '));
    const ran = doc.blocks.filter((b) => b.status !== 'skipped').length;
    const detail = doc.status === 'skipped' ? c.yellow(doc.skipReason ?? '') : c.dim(`${ran} block${ran === 1 ? '' : 's'}, ${formatDuration(doc.durationMs)}`);
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
    const counts = `${run.passed} passed, ${run.failed} failed, ${run.skipped} skipped`;
    this.#out.write(`\ndocs: ${run.failed ? c.red(counts) : c.green(counts)}\n${c.dim(`time: ${formatDuration(run.durationMs)}`)}\n`);
  }
}
