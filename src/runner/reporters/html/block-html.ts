import type { Block } from '../../../markdown/document.js';
import { blockIdentity, type BlockResult, type BlockStatus } from '../../results.js';
import { blockLabel, formatDuration } from '../format.js';
import { errorHtml } from './error-html.js';
import { textHtml } from './html-text.js';

/** A fence as the doc has it: the fence itself, its code as highlighted HTML lines, its `output` fence. */
export interface FenceSource {
  block: Block;
  lines: string[];
  expected?: Block;
}

const statusText: Record<BlockStatus, string> = { passed: 'passed', failed: 'failed', 'timed-out': 'timed out', skipped: 'skipped', 'not-run': 'not run' };

// Each line carries its Markdown line number; CSS shows it, so copying the code copies no numbers.
function codeHtml(lines: string[], firstLine: number, failedLine?: number): string {
  const numbered = lines.map((html, i) => {
    const n = firstLine + i;
    return `<span class="line${n === failedLine ? ' failed-line' : ''}" data-line="${n}">${html}</span>`;
  });
  return `<pre class="code"><code>${numbered.join('')}</code></pre>`;
}

function expectedHtml(expected: Block): string {
  const lines = expected.source.split('\n').map(textHtml);
  return `<div class="expected"><div class="caption">expected output · line ${expected.fenceLine}</div>${codeHtml(lines, expected.line)}</div>`;
}

function resultHtml(result: BlockResult): string {
  const parts: string[] = [];
  if (result.reason !== undefined) parts.push(`<p class="reason">${statusText[result.status]}: ${textHtml(result.reason)}</p>`);
  if (result.stdout) parts.push(`<pre class="stdout" data-stream="stdout">${textHtml(result.stdout)}</pre>`);
  if (result.stderr) parts.push(`<pre class="stderr" data-stream="stderr">${textHtml(result.stderr)}</pre>`);
  if (result.value !== undefined) parts.push(`<pre class="value" data-value>→ ${textHtml(result.value)}</pre>`);
  if (result.error) parts.push(errorHtml(result.error));
  return parts.length ? `<div class="result">${parts.join('')}</div>` : '';
}

/** A block's result, its fence, or both: a report from results alone has no fences, a doc that never got to a block no result. */
export type BlockView = { result: BlockResult; source?: FenceSource } | { result?: undefined; source: FenceSource };

/**
 * A code or shell block: its label, status and time, its code with the doc's
 * line numbers (the line an error points at marked), then what it printed, its
 * value or its error, and its expected output. A block without a result shows
 * as not run.
 */
export function blockHtml(anchor: string, view: BlockView): string {
  const { result, source } = view;
  const identity = view.result ?? blockIdentity(view.source.block);
  const status = result?.status ?? 'not-run';
  const error = result?.error;
  const failedLine = error && !error.file ? error.line : undefined;
  const head = [
    `<span class="label">${textHtml(blockLabel(identity))}</span>`,
    result && result.status !== 'skipped' && result.status !== 'not-run' ? `<span class="time">${formatDuration(result.durationMs)}</span>` : '',
    `<span class="status">${statusText[status]}</span>`,
  ].join('');
  const parts = [`<div class="block-head">${head}</div>`];
  if (source) parts.push(codeHtml(source.lines, source.block.line, failedLine));
  if (result) parts.push(resultHtml(result));
  if (source?.expected) parts.push(expectedHtml(source.expected));
  return `<div class="block" id="${anchor}" data-block="${identity.number}" data-status="${status}">${parts.join('')}</div>`;
}

/** A fence that does not run (`yaml`, `text`…): shown with its line numbers, as prose is. */
export function fenceHtml(source: FenceSource): string {
  const { block } = source;
  return `<div class="block inert"><div class="block-head"><span class="label">${textHtml(block.lang || 'text')} · line ${block.fenceLine}</span></div>${codeHtml(source.lines, block.line)}</div>`;
}
