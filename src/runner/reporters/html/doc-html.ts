import type { BlockResult, BlockStatus, DocResult, DocStatus } from '../../results.js';
import { formatDuration } from '../format.js';
import { blockHtml, fenceHtml } from './block-html.js';
import type { DocSource, SourceLookup } from './doc-source.js';
import { errorHtml } from './error-html.js';
import { textHtml } from './html-text.js';

const badges: Record<DocStatus, string> = { passed: 'PASS', failed: 'FAIL', skipped: 'SKIP', 'not-run': 'NOT RUN' };
const blockStatusOrder: BlockStatus[] = ['passed', 'failed', 'timed-out', 'skipped', 'not-run'];

/** "1 passed, 1 failed, 2 not run": how many blocks ended how, in a fixed order. */
export function blockCounts(blocks: readonly BlockResult[]): string {
  return blockStatusOrder
    .flatMap((status) => {
      const n = blocks.filter((b) => b.status === status).length;
      return n ? [`${n} ${status.replace('-', ' ')}`] : [];
    })
    .join(', ');
}

const blocksText = (blocks: readonly BlockResult[]) => (blocks.length ? `${blocks.length} block${blocks.length === 1 ? '' : 's'}: ${blockCounts(blocks)}` : 'no blocks run');

/** The anchor of a doc's block, for links from the run's list of failures. */
export const blockAnchor = (docAnchor: string, number: number) => `${docAnchor}-block-${number}`;

function headHtml(result: DocResult): string {
  const parts = [`<span class="badge">${badges[result.status]}</span>`, `<span class="path">${textHtml(result.path)}</span>`];
  if (result.title !== result.path) parts.push(`<span class="title">${textHtml(result.title)}</span>`);
  for (const tag of result.tags) parts.push(`<span class="tag">${textHtml(tag)}</span>`);
  parts.push(`<span class="meta">${blocksText(result.blocks)} · ${formatDuration(result.durationMs)}</span>`);
  return `<summary class="doc-head">${parts.join('')}</summary>`;
}

// What the doc as a whole says before its blocks: why it was skipped, a failure outside its blocks, why its text is missing.
function openingNotes(result: DocResult, lookup: SourceLookup): string[] {
  const notes: string[] = [];
  if (result.status === 'skipped') notes.push(`<p class="note skip-reason">skipped: ${textHtml(result.skipReason ?? 'no reason given')}</p>`);
  if (result.error) notes.push(errorHtml(result.error));
  if ('missing' in lookup) notes.push(`<p class="note">The doc's text is not shown: ${textHtml(lookup.missing)}.${result.blocks.length ? " Its blocks' results follow." : ''}</p>`);
  return notes;
}

// And after them: what runbook cleaned up when the doc ended, and warnings (an output fence not updated, a stamp refused).
function closingNotes(result: DocResult): string[] {
  const notes: string[] = [];
  if (result.cleanedUp.length) notes.push(`<p class="note cleaned-up">cleaned up: ${textHtml(result.cleanedUp.join(', '))}</p>`);
  for (const warning of result.warnings) notes.push(`<p class="note warning">warning: ${textHtml(warning)}</p>`);
  return notes;
}

const notesHtml = (notes: string[]) => (notes.length ? `<div class="notes">${notes.join('')}</div>` : '');

// Prose and fences in file order, each code block with its result.
function sourceHtml(anchor: string, source: DocSource, results: Map<number, BlockResult>): string {
  return source.segments
    .map((segment) => {
      if (segment.kind === 'prose') return `<div class="prose">${segment.html}</div>`;
      const block = source.blocks[segment.index]!;
      const expected = block.expectedOutput === undefined ? undefined : source.blocks[block.expectedOutput];
      const fence = { block, lines: segment.lines, expected };
      if (!segment.runnable || block.number === undefined) return fenceHtml(fence);
      const result = results.get(block.index);
      return blockHtml(blockAnchor(anchor, block.number), result ? { result, source: fence } : { source: fence });
    })
    .join('');
}

/**
 * One doc as a folding section: a head line (status, path, title, tags, block
 * counts, time), what happened to the doc as a whole, the doc itself — prose
 * rendered, each block with its result — or, without its source, the block
 * results alone, then what was cleaned up. Failed docs start unfolded.
 */
export function docHtml(anchor: string, result: DocResult, lookup: SourceLookup): string {
  const results = new Map(result.blocks.map((block) => [block.index, block]));
  const body =
    'source' in lookup ? sourceHtml(anchor, lookup.source, results) : result.blocks.map((block) => blockHtml(blockAnchor(anchor, block.number), { result: block })).join('');
  return [
    `<details class="doc" id="${anchor}" data-doc="${textHtml(result.path)}" data-status="${result.status}"${result.status === 'failed' ? ' open' : ''}>`,
    headHtml(result),
    `<div class="doc-body">${notesHtml(openingNotes(result, lookup))}${body}${notesHtml(closingNotes(result))}</div>`,
    '</details>',
  ].join('');
}
