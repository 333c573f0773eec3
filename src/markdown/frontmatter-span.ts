// Finding the frontmatter is a scan of the first lines; parsing its YAML needs
// a YAML library, loaded only for docs that have frontmatter (frontmatter.ts).

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
