import type { RunEvents } from '../events.js';
import type { DocResult, RunResult } from '../results.js';
import { colorsFor, docFailures, formatDuration, type Colors } from './format.js';

/** One line per doc (PASS/FAIL/SKIP with time), failures in detail, a summary line. */
export class PrettyReporter implements RunEvents {
  readonly #out: NodeJS.WriteStream;
  readonly #c: Colors;

  constructor(out: NodeJS.WriteStream = process.stdout) {
    this.#out = out;
    this.#c = colorsFor(out);
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
    this.#out.write(`${lines.join('\n')}\n`);
  }

  onRunEnd(run: RunResult): void {
    const c = this.#c;
    const counts = `${run.passed} passed, ${run.failed} failed, ${run.skipped} skipped`;
    this.#out.write(`\ndocs: ${run.failed ? c.red(counts) : c.green(counts)}\n${c.dim(`time: ${formatDuration(run.durationMs)}`)}\n`);
  }
}
