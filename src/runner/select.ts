import { readFileSync } from 'node:fs';
import { findFrontmatter } from '../markdown/frontmatter-span.js';

export interface Selection {
  /** `{ index: 1, count: 4 }` for --shard 1/4 (1-based). */
  shard?: { index: number; count: number };
  tags?: string[];
  filter?: string;
}

function tagsOf(path: string, parseFrontmatter: typeof import('../markdown/frontmatter.js').parseFrontmatter): string[] {
  try {
    const text = readFileSync(path, 'utf8');
    const tags = parseFrontmatter(text, findFrontmatter(text), path).tags;
    return Array.isArray(tags) ? tags.map(String) : typeof tags === 'string' ? [tags] : [];
  } catch {
    return []; // The run itself reports an unreadable doc or invalid frontmatter.
  }
}

/** The order docs run in, and a merged report lists them in: by path, as `Array.prototype.sort` compares strings. */
export function byPath(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Narrows the expanded doc list: --filter (substring of the path), --tag (any of
 * the doc's frontmatter tags), then --shard i/n, which deals the sorted list out
 * round-robin so that the shards together hold every doc exactly once.
 */
export async function selectDocs(paths: string[], selection: Selection): Promise<string[]> {
  let docs = [...paths].sort(byPath);
  if (selection.filter) docs = docs.filter((path) => path.includes(selection.filter!));
  if (selection.tags?.length) {
    const wanted = new Set(selection.tags);
    const { parseFrontmatter } = await import('../markdown/frontmatter.js'); // the YAML parser, for --tag only
    docs = docs.filter((path) => tagsOf(path, parseFrontmatter).some((tag) => wanted.has(tag)));
  }
  if (selection.shard) {
    const { index, count } = selection.shard;
    docs = docs.filter((_, position) => position % count === index - 1);
  }
  return docs;
}
