// A transpiled block's source map, kept as a flat table instead of map JSON:
// one transform of a whole doc can then be cut into per-block tables, and the
// tables go into the transpile cache as they are.

/**
 * Segments of a source map, four numbers each: generated line, generated
 * column, original line, original column (all 0-based). An original line of -1
 * marks a segment that maps to no source. Sorted by generated position.
 */
export type Mappings = number[];

const base64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const digitOf = new Int8Array(128).fill(-1);
for (let i = 0; i < base64.length; i++) digitOf[base64.charCodeAt(i)] = i;

/** Decodes a source map's `mappings` string (single source: names are dropped). */
export function decodeMappings(encoded: string): Mappings {
  const out: Mappings = [];
  let genLine = 0;
  let genColumn = 0;
  let origLine = 0;
  let origColumn = 0;
  const fields: number[] = [];
  let i = 0;
  while (i < encoded.length) {
    const char = encoded.charCodeAt(i);
    if (char === 59 /* ; */) {
      genLine++;
      genColumn = 0;
      i++;
      continue;
    }
    if (char === 44 /* , */) {
      i++;
      continue;
    }
    fields.length = 0;
    while (i < encoded.length && encoded.charCodeAt(i) !== 44 && encoded.charCodeAt(i) !== 59) {
      let value = 0;
      let shift = 0;
      let digit: number;
      do {
        digit = digitOf[encoded.charCodeAt(i++)] ?? -1;
        if (digit < 0) throw new Error(`Invalid source map mappings near offset ${i - 1}.`);
        value += (digit & 31) << shift;
        shift += 5;
      } while (digit & 32);
      fields.push(value & 1 ? -(value >>> 1) : value >>> 1);
    }
    genColumn += fields[0]!;
    if (fields.length >= 4) {
      origLine += fields[2]!;
      origColumn += fields[3]!;
      out.push(genLine, genColumn, origLine, origColumn);
    } else {
      out.push(genLine, genColumn, -1, 0);
    }
  }
  return out;
}

/**
 * The original position of a generated one, by the same rule as Node's
 * `SourceMap.findEntry`: the last segment at or before it, possibly on an
 * earlier line; undefined before the first segment or for a sourceless one.
 */
export function findOriginal(mappings: Mappings, line: number, column: number): { line: number; column: number } | undefined {
  const count = mappings.length / 4;
  if (count === 0) return undefined;
  let low = 0;
  let high = count - 1;
  let found = -1;
  while (low <= high) {
    const middle = (low + high) >> 1;
    const genLine = mappings[middle * 4]!;
    const genColumn = mappings[middle * 4 + 1]!;
    if (genLine < line || (genLine === line && genColumn <= column)) {
      found = middle;
      low = middle + 1;
    } else {
      high = middle - 1;
    }
  }
  if (found < 0 || mappings[found * 4 + 2]! < 0) return undefined;
  return { line: mappings[found * 4 + 2]!, column: mappings[found * 4 + 3]! };
}

/**
 * The segments generated on lines [fromLine, toLine), moved up by `fromLine`
 * generated lines and `originalShift` original lines: one block's share of a
 * doc-wide transform.
 */
export function sliceMappings(mappings: Mappings, fromLine: number, toLine: number, originalShift: number): Mappings {
  const out: Mappings = [];
  // Segments are sorted by generated line: find the first of the slice rather
  // than scanning, so cutting a doc-wide transform into n blocks stays linear.
  let low = 0;
  let high = mappings.length / 4;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (mappings[middle * 4]! < fromLine) low = middle + 1;
    else high = middle;
  }
  for (let i = low * 4; i < mappings.length && mappings[i]! < toLine; i += 4) {
    const genLine = mappings[i]!;
    const origLine = mappings[i + 2]!;
    out.push(genLine - fromLine, mappings[i + 1]!, origLine < 0 ? -1 : origLine - originalShift, mappings[i + 3]!);
  }
  return out;
}

/** True if `value` is a well-formed mappings table (for entries read back from disk). */
export function isMappings(value: unknown): value is Mappings {
  if (!Array.isArray(value) || value.length % 4 !== 0) return false;
  for (const item of value) if (!Number.isInteger(item)) return false;
  return true;
}
