import { isMap, isScalar, visit, type Alias, type Document, type Node, type Pair, type YAMLMap } from 'yaml';

/** The stamp's keys and values, in the order they are appended. */
export type StampEntries = [key: string, value: string | boolean][];

/** Replace `source.slice(start, end)` with `text` (offsets into the frontmatter's YAML). */
export interface TextEdit {
  start: number;
  end: number;
  text: string;
}

export function applyEdits(source: string, edits: TextEdit[]): string {
  let result = source;
  for (const edit of [...edits].sort((a, b) => b.start - a.start)) result = result.slice(0, edit.start) + edit.text + result.slice(edit.end);
  return result;
}

/**
 * The edits that set each stamp key, found by the parsed document's source
 * ranges: a value's bytes are replaced (its anchor, tag, quoting, block style
 * and comment kept); missing keys are appended in the mapping's own style.
 */
export function stampEdits(doc: Document.Parsed, source: string, entries: StampEntries, eol: string): TextEdit[] {
  const map = isMap(doc.contents) ? doc.contents : null;
  const edits: TextEdit[] = [];
  const missing: StampEntries = [];
  for (const [key, value] of entries) {
    const pair = map?.items.find((item) => isScalar(item.key) && item.key.value === key);
    if (!pair) missing.push([key, value]);
    else edits.push(...valueEdits(doc, pair, source, value, eol));
  }
  if (missing.length) edits.push(appendEdit(map, source, missing, eol));
  return edits;
}

function valueEdits(doc: Document.Parsed, pair: Pair, source: string, value: string | boolean, eol: string): TextEdit[] {
  const node = pair.value as Node | null;
  // `{lastTested}` or `? lastTested`: a key without a value.
  if (!node?.range) {
    const at = (pair.key as Node).range![1];
    return [{ start: at, end: at, text: `: ${value}` }];
  }
  const moved = isScalar(node) ? keepAliasedValue(doc, pair, node, source) : undefined;
  return [...(moved ? [moved] : []), { start: node.range[0], end: node.range[1], text: formatValue(node, source, value, eol) }];
}

function formatValue(node: Node, source: string, value: string | boolean, eol: string): string {
  const [start, end] = node.range!;
  const old = source.slice(start, end);
  // Block scalars' ranges end with their last line break; whatever replaces them must too.
  const lineBreak = /\r?\n$/.exec(old)?.[0] ?? '';
  if (start === end) {
    const before = /\s/.test(source[start - 1] ?? ' ') ? '' : ' ';
    const after = source[start] === '#' ? ' ' : '';
    return `${before}${value}${after}`;
  }
  if (typeof value === 'boolean' || !isScalar(node)) return `${value}${lineBreak}`;
  switch (node.type) {
    case 'QUOTE_DOUBLE':
      return JSON.stringify(value);
    case 'QUOTE_SINGLE':
      return `'${value.replaceAll("'", "''")}'`;
    case 'BLOCK_FOLDED':
    case 'BLOCK_LITERAL': {
      const header = /^[^\r\n]*/.exec(old)![0];
      const indent = /\r?\n([ ]+)\S/.exec(old)?.[1] ?? `${lineIndent(source, start)}  `;
      return `${header}${eol}${indent}${value}${lineBreak || eol}`;
    }
    default:
      return value;
  }
}

/**
 * A value that other keys alias (`lastTested: &t 2020-01-01`, `reviewed: *t`)
 * keeps its anchor, and the first alias gets the old value under the same
 * anchor name, so every alias still means what it meant. A multi-line value
 * cannot stand where an alias was: then nothing is moved and the verification
 * refuses the stamp.
 */
function keepAliasedValue(doc: Document.Parsed, pair: Pair, node: Node, source: string): TextEdit | undefined {
  const anchor = node.anchor;
  if (!anchor) return undefined;
  let first: Alias | undefined;
  visit(doc, {
    Alias(_key, alias) {
      if (alias.source === anchor && alias.resolve(doc) === node && alias.range && (!first || alias.range[0] < first.range![0])) first = alias;
    },
  });
  const old = source.slice(node.range![0], node.range![1]);
  if (!first || /[\r\n]/.test(old)) return undefined;
  const tag = pair.srcToken?.sep?.find((token) => token.type === 'tag');
  const props = tag && 'source' in tag ? `&${anchor} ${tag.source}` : `&${anchor}`;
  return { start: first.range![0], end: first.range![1], text: `${props} ${old}` };
}

function appendEdit(map: YAMLMap | null, source: string, missing: StampEntries, eol: string): TextEdit {
  if (map?.flow) {
    const last = map.items.at(-1);
    const lastNode = (last?.value ?? last?.key) as Node | null | undefined;
    const at = lastNode?.range ? lastNode.range[1] : map.range![0] + 1;
    const text = missing.map(([key, value]) => `${key}: ${value}`).join(', ');
    return { start: at, end: at, text: lastNode ? `, ${text}` : text };
  }
  const firstKey = map?.items[0]?.key as Node | undefined;
  const indent = firstKey?.range ? lineIndent(source, firstKey.range[0]) : '';
  const lead = source.length && !source.endsWith('\n') ? eol : '';
  const lines = missing.map(([key, value]) => `${indent}${key}: ${value}${eol}`).join('');
  return { start: source.length, end: source.length, text: lead + lines };
}

// The spaces a line starts with, up to `offset` (nothing if other text comes first).
function lineIndent(source: string, offset: number): string {
  const lineStart = source.lastIndexOf('\n', offset - 1) + 1;
  return /^[ ]*/.exec(source.slice(lineStart, offset))![0];
}
