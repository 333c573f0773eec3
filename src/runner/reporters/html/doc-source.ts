import { readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { messageOf } from '../../../errors.js';
import type { Block } from '../../../markdown/document.js';
import { parseRunbookText } from '../../../markdown/parse.js';
import type { Segment } from '../../../servers/notebook/notebook-protocol.js';
import { defaultMaxDocSize, formatSize } from '../../doc-size.js';
import { docSegments } from '../../notebook/doc-segments.js';
import type { DocResult } from '../../results.js';
import { reportProse } from './report-prose.js';

/** A doc's Markdown as the report shows it: its fences, and prose and code in file order. */
export interface DocSource {
  blocks: Block[];
  segments: Segment[];
}

/** The doc's source, or why the report shows its results without it. */
export type SourceLookup = { source: DocSource } | { missing: string };

function readDocText(path: string): string | { missing: string } {
  try {
    const absolute = resolve(path);
    const bytes = statSync(absolute).size;
    if (bytes > defaultMaxDocSize) return { missing: `it is larger than ${formatSize(defaultMaxDocSize)} (${formatSize(bytes)})` };
    return readFileSync(absolute, 'utf8');
  } catch (error) {
    return { missing: `it cannot be read (${(error as NodeJS.ErrnoException).code ?? messageOf(error)})` };
  }
}

/**
 * The doc's source for the report: the text it ran with when the run saw it
 * start, else the file as it is now (a report made from results alone, e.g.
 * by merging shards). Used only when every block result still names the same
 * fence (number, language, line): a doc edited since is not passed off as the
 * one that ran.
 */
export function docSource(result: DocResult, ranText: string | undefined): SourceLookup {
  const text = ranText ?? readDocText(result.path);
  if (typeof text !== 'string') return text;
  let blocks: Block[];
  try {
    blocks = parseRunbookText(text, result.path).blocks;
  } catch (error) {
    return { missing: `it cannot be parsed (${messageOf(error)})` };
  }
  const moved = result.blocks.find((b) => {
    const block = blocks[b.index];
    return block?.number !== b.number || block.lang !== b.lang || block.fenceLine !== b.line;
  });
  if (moved) return { missing: `it changed since the run (block ${moved.number} is no longer a ${moved.lang || 'code'} fence at line ${moved.line})` };
  return { source: { blocks, segments: docSegments({ text, blocks }, reportProse) } };
}
