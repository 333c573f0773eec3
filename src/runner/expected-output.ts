import { createTwoFilesPatch } from 'diff';
import { codeFrame } from '../engine/code-frame.js';
import type { ErrorReport } from '../engine/error-report.js';
import type { Block } from '../markdown/document.js';
import { fenceFor, showControls } from './output-text.js';

// Trailing spaces and blank lines are noise in a Markdown fence (editors drop them); control
// characters are compared as the fence holds them.
function normalize(text: string): string {
  return showControls(text)
    .split('\n')
    .map((line) => line.trimEnd())
    .join('\n')
    .replace(/\n+$/, '');
}

/** null when the output matches the fence; otherwise a readable diff. */
export function compareOutput(expected: string, actual: string): string | null {
  const want = normalize(expected);
  const got = normalize(actual);
  if (want === got) return null;
  const patch = createTwoFilesPatch('expected (output fence)', 'actual (stdout)', `${want}\n`, `${got}\n`, undefined, undefined, { context: 3 });
  return patch
    .split('\n')
    .filter((line) => !line.startsWith('Index:') && !line.startsWith('==='))
    .join('\n')
    .trimEnd();
}

/**
 * The error of a block whose stdout differs from its output fence, located at
 * the fence in the doc's `text`; undefined when they match. `stdout` is
 * compared masked: the fence holds what --update wrote, and that never holds a secret.
 */
export function outputMismatch(path: string, text: string, fence: Pick<Block, 'source' | 'line' | 'lineIndents' | 'indent'>, stdout: string): ErrorReport | undefined {
  const diff = compareOutput(fence.source, stdout);
  if (!diff) return undefined;
  const line = fence.line;
  const column = (fence.lineIndents?.[0] ?? fence.indent) + 1;
  const message = 'Output differs from the expected output (run with --update to accept the new output).';
  return { message, code: 'RUNBOOK_OUTPUT_MISMATCH', location: `${path}:${line}:${column}`, line, column, frame: codeFrame(text, line, column), diff };
}

/** A pending rewrite of an output fence's content, applied when the doc is written back. */
export interface OutputUpdate {
  /** The whole fenced block as it was when the doc was read. */
  original: string;
  replacement: string;
}

/**
 * Rebuilds an output fence around new content, keeping its indentation, fence
 * character and info string. The content is the output exactly (trailing
 * spaces included, control characters as control pictures), and the fence
 * grows when a line of it would otherwise close the fence.
 */
export function outputUpdate(text: string, block: Pick<Block, 'start' | 'end' | 'indent'>, actual: string): OutputUpdate {
  const original = text.slice(block.start, block.end);
  const eol = original.includes('\r\n') ? '\r\n' : '\n';
  const lines = original.split(/\r?\n/);
  const [, openIndent = '', fence = '```', info = ''] = /^([ \t]*)(`{3,}|~{3,})(.*)$/.exec(lines[0]!) ?? [];
  // An unclosed fence runs to the end of the file: it gets a closing fence.
  const closingIndent = lines.length > 1 ? /^([ \t]*)(?:`{3,}|~{3,})[ \t]*$/.exec(lines[lines.length - 1]!)?.[1] : undefined;
  const body = showControls(actual).replace(/\n$/, '');
  const content = body === '' ? [] : body.split('\n');
  const newFence = fenceFor(content, fence[0] as '`' | '~', fence.length);
  const indent = ' '.repeat(block.indent);
  const replacement = [`${openIndent}${newFence}${info}`, ...content.map((line) => (line ? indent + line : line)), `${closingIndent ?? openIndent}${newFence}`];
  return { original, replacement: replacement.join(eol) + (closingIndent === undefined && original.endsWith('\n') ? eol : '') };
}
