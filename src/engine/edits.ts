/** A replacement of original[start, end) by text; start === end inserts. */
export interface Edit {
  start: number;
  end: number;
  text: string;
}

export interface EditedText {
  code: string;
  /**
   * How the edited code maps back, as plain numbers (it goes into the doc
   * cache): triples of generated offset, original offset, and 1 where text was
   * copied (maps char by char) or 0 where it was inserted (maps to where it was
   * inserted). Read it with `originalOffset`.
   */
  segments: number[];
}

/**
 * Applies non-overlapping edits and keeps enough bookkeeping to map positions in
 * the result back to the original (so errors point at the user's own line).
 * Insertions at the same offset keep the order they were given in.
 */
export function applyEdits(original: string, edits: Edit[]): EditedText {
  const sorted = edits.map((edit, order) => ({ ...edit, order })).sort((a, b) => a.start - b.start || a.end - b.end || a.order - b.order);
  const segments: number[] = [];
  let code = '';
  let cursor = 0;
  for (const edit of sorted) {
    if (edit.start < cursor) throw new Error(`overlapping edits at ${edit.start}`);
    if (edit.start > cursor) {
      segments.push(code.length, cursor, 1);
      code += original.slice(cursor, edit.start);
    }
    if (edit.text) {
      segments.push(code.length, edit.start, 0);
      code += edit.text;
    }
    cursor = edit.end;
  }
  segments.push(code.length, cursor, 1);
  code += original.slice(cursor);
  return { code, segments };
}

/** Maps an offset in edited code back to the original offset it came from (see EditedText). */
export function originalOffset(segments: readonly number[], offset: number): number {
  let low = 0;
  let high = segments.length / 3 - 1;
  while (low < high) {
    const mid = (low + high + 1) >> 1;
    if (segments[mid * 3]! <= offset) low = mid;
    else high = mid - 1;
  }
  const generated = segments[low * 3]!;
  const original = segments[low * 3 + 1]!;
  return segments[low * 3 + 2] ? original + (offset - generated) : original;
}

/** 0-based line/column ↔ offset helpers for one text. */
export class LineIndex {
  readonly #starts: number[] = [0];

  constructor(text: string) {
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) this.#starts.push(i + 1);
  }

  offsetOf(line: number, column: number): number {
    return (this.#starts[Math.min(Math.max(line, 0), this.#starts.length - 1)] ?? 0) + column;
  }

  positionOf(offset: number): { line: number; column: number } {
    let low = 0;
    let high = this.#starts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (this.#starts[mid]! <= offset) low = mid;
      else high = mid - 1;
    }
    return { line: low, column: offset - this.#starts[low]! };
  }
}
