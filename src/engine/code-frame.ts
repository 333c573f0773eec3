/**
 * A few lines of the file around a position, the line itself marked and a caret
 * under the column:
 *
 *     41 | const a = 1
 *   > 42 | a.b.c()
 *        |   ^
 */
export function codeFrame(text: string, line: number, column: number, options: { above?: number; below?: number; first?: number; last?: number } = {}): string {
  const lines = text.split(/\r?\n/);
  const above = options.above ?? 2;
  const below = options.below ?? 2;
  const from = Math.max(options.first ?? 1, line - above, 1);
  const to = Math.min(options.last ?? lines.length, line + below, lines.length);
  const width = String(to).length;
  const out: string[] = [];
  for (let n = from; n <= to; n++) {
    const marker = n === line ? '>' : ' ';
    out.push(`${marker} ${String(n).padStart(width)} | ${lines[n - 1] ?? ''}`.trimEnd());
    if (n === line) {
      const prefix = (lines[n - 1] ?? '').slice(0, Math.max(column - 1, 0)).replace(/[^\t]/g, ' ');
      out.push(`  ${' '.repeat(width)} | ${prefix}^`);
    }
  }
  return out.join('\n');
}
