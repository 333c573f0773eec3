import type { ErrorReport } from '../../../engine/error-report.js';
import { errorHeadline } from '../format.js';
import { textHtml } from './html-text.js';

// The frame's `>` line is the one that failed, and the caret line under it points at the column.
function frameHtml(frame: string): string {
  const lines = frame.split('\n');
  return lines
    .map((line, i) => {
      const focus = line.startsWith('>') || (lines[i - 1]?.startsWith('>') && /^\s*\|\s*\^/.test(line));
      return focus ? `<span class="focus">${textHtml(line)}</span>` : textHtml(line);
    })
    .join('\n');
}

const diffClass = (line: string) => (line.startsWith('+') ? 'add' : line.startsWith('-') ? 'del' : line.startsWith('@@') ? 'hunk' : '');

function diffHtml(diff: string): string {
  return diff
    .split('\n')
    .map((line) => {
      const kind = diffClass(line);
      return kind ? `<span class="${kind}">${textHtml(line)}</span>` : textHtml(line);
    })
    .join('\n');
}

/** An error as the report shows it: `doc.md:LINE:COL`, the message, the code frame, an output diff, the stack (folded). */
export function errorHtml(error: ErrorReport): string {
  const parts: string[] = [];
  if (error.location) parts.push(`<div class="location" data-location>${textHtml(error.location)}</div>`);
  parts.push(`<div class="error-message">${textHtml(errorHeadline(error))}</div>`);
  if (error.frame) parts.push(`<pre class="frame">${frameHtml(error.frame)}</pre>`);
  if (error.diff) parts.push(`<pre class="diff">${diffHtml(error.diff)}</pre>`);
  if (error.stack) parts.push(`<details class="stack"><summary>stack</summary><pre>${textHtml(error.stack)}</pre></details>`);
  return `<div class="error"${error.code ? ` data-code="${textHtml(error.code)}"` : ''}>${parts.join('')}</div>`;
}
