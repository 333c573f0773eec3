// C0 controls but tab and line feed, and DEL. Markdown cannot carry them as they are:
// a parser turns NUL into U+FFFD and a lone CR into a line break, and editors drop the rest.
const controls = /[\u0000-\u0008\u000b-\u001f\u007f]/g;

/**
 * Output as an output fence holds it: CRLF as LF, and each control character
 * as its Unicode control picture (NUL as ␀, ESC as ␛, a lone CR as ␍), so that
 * it survives the Markdown file and the next run still matches it.
 */
export function showControls(text: string): string {
  return text.replace(/\r\n/g, '\n').replace(controls, (char) => (char === '\u007f' ? '\u2421' : String.fromCharCode(0x2400 + char.charCodeAt(0))));
}

/**
 * The shortest fence of `char` (at least `minimum` long) that no line of
 * `lines` can close: longer than any run of it at a line start (CommonMark).
 */
export function fenceFor(lines: string[], char: '`' | '~', minimum: number): string {
  let longest = 0;
  for (const line of lines) {
    const run = /^[ \t]*(`+|~+)/.exec(line)?.[1];
    if (run?.[0] === char) longest = Math.max(longest, run.length);
  }
  return char.repeat(Math.max(minimum, longest + 1));
}
