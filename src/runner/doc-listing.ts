import { readFileSync } from 'node:fs';
import { messageOf } from '../errors.js';
import type { RunbookDocument } from '../markdown/document.js';
import { parseRunbookText } from '../markdown/parse.js';
import { effectiveEvalMode, planBlock } from './block-plan.js';
import type { EvalMode } from './run-options.js';
import { skipReason } from './skip-reason.js';

/** One block of a listed doc; `number` is the block number reports use. */
export interface ListedBlock {
  number: number;
  lang: string;
  line: number;
  /** Whether `runbook run` would run it under the doc's eval mode. */
  runs: boolean;
  /** Why not, when it would not run. */
  reason?: string;
}

/** What `runbook list` knows about a doc without running it. */
export interface DocListing {
  path: string;
  title: string;
  tags: string[];
  evalMode?: EvalMode;
  /** Code and shell blocks. */
  blocks: ListedBlock[];
  /** Why the whole doc would be skipped (frontmatter skip, missing env). */
  skip?: string;
  lastTested: string | null;
  lastTestPassed: boolean | null;
  /** The doc could not be read or parsed. */
  error?: string;
}

function tagsOf(frontmatter: Record<string, unknown>): string[] {
  const tags = frontmatter.tags;
  return Array.isArray(tags) ? tags.map(String) : typeof tags === 'string' ? [tags] : [];
}

// YAML reads an unquoted timestamp as a Date; show it as the ISO text it was written as.
function stampOf(value: unknown): string | null {
  if (value instanceof Date || Object.prototype.toString.call(value) === '[object Date]') return (value as Date).toISOString();
  return typeof value === 'string' && value ? value : null;
}

/** Describes a parsed doc: which blocks would run, and its last stamp. */
export function describeDoc(doc: RunbookDocument, options: { evalMode?: EvalMode; onlySections?: string[] } = {}): DocListing {
  const listing: DocListing = {
    path: doc.path,
    title: doc.title,
    tags: tagsOf(doc.frontmatter),
    blocks: [],
    lastTested: stampOf(doc.frontmatter.lastTested),
    lastTestPassed: typeof doc.frontmatter.lastTestPassed === 'boolean' ? doc.frontmatter.lastTestPassed : null,
  };
  const skip = skipReason(doc, {});
  if (skip) listing.skip = skip;
  let mode: EvalMode;
  try {
    mode = effectiveEvalMode(doc, options.evalMode);
  } catch (error) {
    listing.error = messageOf(error);
    return listing;
  }
  listing.evalMode = mode;
  for (const block of doc.blocks) {
    if (block.kind !== 'code' && block.kind !== 'shell') continue;
    const plan = planBlock(block, doc, mode, options);
    listing.blocks.push({ number: block.number!, lang: block.lang, line: block.fenceLine, runs: plan.run, ...(plan.run ? {} : { reason: plan.reason }) });
  }
  return listing;
}

/** Reads and describes a doc; a doc that cannot be read or parsed is listed with its error. */
export function listDoc(path: string, options: { evalMode?: EvalMode; onlySections?: string[] } = {}): DocListing {
  try {
    return describeDoc(parseRunbookText(readFileSync(path, 'utf8'), path), options);
  } catch (error) {
    return { path, title: path, tags: [], blocks: [], lastTested: null, lastTestPassed: null, error: messageOf(error) };
  }
}
