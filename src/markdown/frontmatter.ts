import matter from 'gray-matter';
import { runbookError } from '../errors.js';

/** Where the frontmatter sits in the file, in character offsets of the decoded text. */
export interface FrontmatterSpan {
  /** Offset of the opening `---` (1 when the file starts with a BOM). */
  start: number;
  /** Offset just past the closing `---` line's line break (or end of file). */
  end: number;
  /** Offset of the first character of the YAML (the line after the opening fence). */
  yamlStart: number;
  /** Offset of the closing fence line. */
  yamlEnd: number;
  /** The line break the frontmatter uses: keeps CRLF files CRLF. */
  eol: '\n' | '\r\n';
}

const openingFence = /^---[ \t]*\r?\n/;
const closingFence = /^(?:---|\.\.\.)[ \t]*(?:\r?\n|$)/gm;

export function findFrontmatter(text: string): FrontmatterSpan | null {
  const start = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const opening = openingFence.exec(text.slice(start, start + 8));
  if (!opening) return null;
  const yamlStart = start + opening[0].length;
  closingFence.lastIndex = yamlStart;
  // An empty frontmatter closes on the very line after the opening fence.
  const closing = closingFence.exec(text);
  if (!closing) return null;
  return {
    start,
    end: closing.index + closing[0].length,
    yamlStart,
    yamlEnd: closing.index,
    eol: opening[0].endsWith('\r\n') ? '\r\n' : '\n',
  };
}

/** 1-based line number of an offset. */
export function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) line++;
  return line;
}

/** Parses the YAML; invalid YAML is an error that names `file:line`. */
export function parseFrontmatter(text: string, span: FrontmatterSpan | null, file: string): Record<string, unknown> {
  if (!span) return {};
  const yaml = text.slice(span.yamlStart, span.yamlEnd);
  if (yaml.trim() === '') return {};
  try {
    // An options object keeps gray-matter from caching every file it sees.
    const data = matter(`---\n${yaml}\n---\n`, {}).data as unknown;
    if (data === null || typeof data !== 'object' || Array.isArray(data)) {
      throw runbookError('RUNBOOK_INVALID_FRONTMATTER', `${file}:${lineAt(text, span.yamlStart)}: frontmatter must be a mapping of keys to values.`);
    }
    return data as Record<string, unknown>;
  } catch (error) {
    if ((error as { code?: string }).code === 'RUNBOOK_INVALID_FRONTMATTER') throw error;
    const mark = (error as { mark?: { line?: number } }).mark;
    // gray-matter hands js-yaml the text after the opening `---`, newline included: its lines start one early.
    const line = lineAt(text, span.yamlStart) + Math.max((mark?.line ?? 1) - 1, 0);
    const reason = String((error as { reason?: string }).reason ?? (error as Error).message).split('\n')[0];
    throw runbookError(
      'RUNBOOK_INVALID_FRONTMATTER',
      `${file}:${line}: invalid YAML in frontmatter: ${reason}. Fix the frontmatter; the file was left untouched.`,
      { cause: error },
    );
  }
}
