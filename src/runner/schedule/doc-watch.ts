import { codeFrame } from '../../engine/code-frame.js';
import type { ErrorReport } from '../../engine/error-report.js';
import type { RunEvents } from '../events.js';
import { outputFence, type DocOutline, type OpenedBlock } from '../executor-protocol.js';
import type { OutputUpdate } from '../expected-output.js';
import type { StreamName } from '../output-stream.js';
import type { BlockResult } from '../results.js';
import type { RunOptions } from '../run-options.js';

/** The supervisor's side of one doc: what it has read and decided so far, over every executor that ran it. */
export interface DocWatch {
  path: string;
  options: RunOptions;
  events: RunEvents;
  mask: (text: string) => string;
  /** The secrets in the doc's environment: masked wherever its output shows. */
  secrets: readonly string[];
  doc?: DocOutline;
  blocks: Map<number, BlockResult>;
  output: Map<number, Record<StreamName, string>>;
  updates: OutputUpdate[];
  runId: string;
}

/** What block `index` printed so far, per stream. */
export function blockText(watch: DocWatch, index: number): Record<StreamName, string> {
  let text = watch.output.get(index);
  if (!text) watch.output.set(index, (text = { stdout: '', stderr: '' }));
  return text;
}

/** An error the supervisor charges to a block (or to the doc, with no block), located at the block's first line. */
export function errorAt(watch: DocWatch, block: OpenedBlock | undefined, message: string, code: string): ErrorReport {
  if (!block || !watch.doc) return { message, code };
  const line = block.line;
  const column = (block.lineIndents?.[0] ?? block.indent) + 1;
  return { message, code, location: `${watch.path}:${line}:${column}`, line, column, frame: codeFrame(watch.doc.text, line, column) };
}

/** Compares a block's output with its `output` fence; true when the block fails. */
export async function judgeOutput(watch: DocWatch, result: BlockResult): Promise<boolean> {
  const block = watch.doc?.blocks[result.index];
  const outputBlock = block?.expectedOutput !== undefined ? watch.doc!.blocks[block.expectedOutput] : undefined;
  if (!outputBlock) return false;
  const fence = outputFence(outputBlock);
  const { outputMismatch, outputUpdate } = await import('../expected-output.js'); // loads a diff library
  const shown = watch.mask(result.stdout);
  const mismatch = outputMismatch(watch.path, watch.doc!.text, fence, shown);
  if (!mismatch) return false;
  if (watch.options.update) {
    watch.updates.push(outputUpdate(watch.doc!.text, fence, shown));
    return false;
  }
  result.status = 'failed';
  result.error = mismatch;
  return true;
}
