import { createTwoFilesPatch } from 'diff';
import type { Block } from '../markdown/document.js';

// Trailing spaces and blank lines are noise in a Markdown fence.
function normalize(text: string): string {
  return text
    .replace(/\r\n/g, '\n')
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

/** A pending rewrite of an output fence's content, applied when the doc is written back. */
export interface OutputUpdate {
  /** The whole fenced block as it was when the doc was read. */
  original: string;
  replacement: string;
}

/** Rebuilds an output fence around new content, keeping its fences and indentation. */
export function outputUpdate(text: string, block: Block, actual: string): OutputUpdate {
  const original = text.slice(block.start, block.end);
  const eol = original.includes('\r\n') ? '\r\n' : '\n';
  const lines = original.split(/\r?\n/);
  const opening = lines[0]!;
  const closing = lines[lines.length - 1]!;
  const indent = ' '.repeat(block.indent);
  const body = normalize(actual);
  const content = body === '' ? [] : body.split('\n').map((line) => (line ? indent + line : line));
  return { original, replacement: [opening, ...content, closing].join(eol) };
}
