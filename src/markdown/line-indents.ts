/** Splits text into lines at every line ending CommonMark knows (LF, CRLF, CR). */
export function splitLines(text: string): string[] {
  return text.split(/\r\n|\r|\n/);
}

// A tab that a container prefix only partly consumes leaves up to three columns
// of it in the code as spaces that are not in the file.
const virtualSpaces = /^ {1,3}/;

/**
 * Where each line of a fenced block's code starts in the file: the number of
 * characters before it on its own line. Containers are stripped line by line
 * (`>` with or without a space, list indentation by tabs or spaces, content
 * indented less than the fence), so a line's code ends where the file's line
 * ends and the difference of their lengths is what precedes it.
 *
 * Returns undefined when every line with code starts `indent` characters in,
 * which is the common case and keeps cached blocks small.
 */
export function lineIndentsOf(fileLines: readonly string[], firstLine: number, source: string, indent: number): number[] | undefined {
  if (source === '') return undefined;
  const codeLines = splitLines(source);
  let uniform = true;
  const indents = codeLines.map((code, i) => {
    const line = fileLines[firstLine - 1 + i];
    if (line === undefined || !(line.endsWith(code) || line.endsWith(code.replace(virtualSpaces, '')))) return indent;
    const at = line.length - code.length;
    if (code.trim() !== '' && at !== indent) uniform = false;
    return at;
  });
  return uniform ? undefined : indents;
}
