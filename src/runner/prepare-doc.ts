import { createHash } from 'node:crypto';
import { buildId } from '../engine/build-id.js';
import type { BlockPositions, CompiledParts } from '../engine/compiled-block.js';
import { esbuildVersion } from '../engine/esbuild-loader.js';
import { FileCache, type CacheTail } from '../engine/file-cache.js';
import { docTitle, type Block, type RunbookDocument } from '../markdown/document.js';
import { isNoFenceTokens, noFenceTokens, type FenceTokens } from '../markdown/fence-tokens.js';
import { findFrontmatter, lineAt } from '../markdown/frontmatter-span.js';

// A repeat run of an unchanged doc takes its blocks and their compiled code
// from one cache entry, and so never loads the Markdown parser, the JavaScript
// parser that hoists declarations, or esbuild. The entry is keyed by the doc's
// body (everything after the frontmatter), so that stamping lastTested, which
// changes the frontmatter on every run, does not invalidate it; the frontmatter
// is parsed on every run, and only docs that have one load the YAML parser.

/** A block's compiled code, or why it does not compile (thrown when the block's turn comes). */
export type BlockCode = { parts: CompiledParts } | { error: unknown };

/** A doc ready to run. */
export interface PreparedDoc {
  doc: RunbookDocument;
  /** Compiles the doc's code blocks, by block index; from the cache when it has them. */
  compile(): Promise<Map<number, BlockCode>>;
}

/** What the cache keeps of a doc: positions are relative to the body's start. */
interface DocEntry {
  heading?: string;
  blocks: Block[];
  /** By block index; null for blocks that are not code. */
  parts: (CompiledParts | null)[];
}

// On disk a doc's entry is what running it reads, and a tail read only on an
// error: each block's position maps, most of the entry by size (see FileCache).
// A block with no fence tokens is stored without them.
type StoredBlock = Omit<Block, 'tokens'> & { tokens?: FenceTokens };
type StoredParts = Omit<CompiledParts, 'positions'>;
interface StoredDoc {
  heading?: string;
  blocks: StoredBlock[];
  parts: (StoredParts | null)[];
}
type StoredPositions = (BlockPositions | null)[];

// 2: blocks carry `number` and `lineIndents`. 3: position maps in the tail, fence tokens only when a fence has any.
const formatVersion = 3;

function toStored(entry: DocEntry): { value: StoredDoc; tail: StoredPositions } {
  return {
    value: {
      heading: entry.heading,
      blocks: entry.blocks.map(({ tokens, ...block }) => (isNoFenceTokens(tokens) ? block : { ...block, tokens })),
      parts: entry.parts.map((part) => part && { code: part.code, isAsync: part.isAsync, globalFunctions: part.globalFunctions }),
    },
    tail: entry.parts.map((part) => part && part.positions()),
  };
}

function isPositions(value: unknown): value is BlockPositions {
  const positions = value as Partial<BlockPositions> | null;
  return typeof positions?.transpiled === 'string' && Array.isArray(positions.segments);
}

function fromJson(value: unknown, tail: CacheTail): DocEntry | undefined {
  const stored = value as Partial<StoredDoc> | null;
  if (!Array.isArray(stored?.blocks) || !Array.isArray(stored.parts) || stored.blocks.length !== stored.parts.length) return undefined;
  // Completed in place: the objects are this read's own.
  for (const block of stored.blocks) block.tokens ??= noFenceTokens();
  stored.parts.forEach((part, index) => {
    if (!part) return;
    (part as CompiledParts).positions = () => {
      const positions = (tail() as unknown[] | undefined)?.[index];
      // An entry whose tail is damaged still runs; an error in it is placed by the script's own lines (one identity segment).
      return isPositions(positions) ? positions : { transpiled: part.code, segments: [0, 0, 1] };
    };
  });
  return stored as DocEntry;
}

// A doc's entry is large (its blocks and their code) and an executor runs a doc
// once per run: memory keeps the few a --watch or a notebook runs again, so an
// executor that runs thousands of docs does not keep every one of them.
const cache = new FileCache<DocEntry>(`docs-v${formatVersion}`, fromJson, 32);

function keyOf(body: string): string {
  return createHash('sha256').update(`${formatVersion}\0${buildId}\0${esbuildVersion()}\0`).update(body).digest('hex');
}

/** Moves block positions by whole lines and characters (into or out of body-relative form). */
export function shifted(blocks: readonly Block[], lines: number, chars: number): Block[] {
  return blocks.map((block) => ({ ...block, fenceLine: block.fenceLine + lines, line: block.line + lines, start: block.start + chars, end: block.end + chars }));
}

/**
 * Parses a doc (or takes it from the cache). Throws, with a message naming
 * `path`, when the frontmatter or a fence is invalid.
 */
export async function prepareDoc(text: string, path: string, absolute: string): Promise<PreparedDoc> {
  const span = findFrontmatter(text);
  const bodyStart = span?.end ?? 0;
  const bodyLine = span ? lineAt(text, bodyStart) - 1 : 0;
  const key = keyOf(text.slice(bodyStart));
  const cached = cache.get(key);
  if (!cached) return parseAndCompile(text, path, absolute, { key, bodyStart, bodyLine });

  const frontmatter = span ? (await import('../markdown/frontmatter.js')).parseFrontmatter(text, span, path) : {};
  const blocks = shifted(cached.blocks, bodyLine, bodyStart);
  const doc: RunbookDocument = {
    path,
    text,
    frontmatter,
    frontmatterSpan: span,
    title: docTitle(frontmatter, cached.heading, path),
    heading: cached.heading,
    blocks,
  };
  const parts = new Map<number, BlockCode>();
  cached.parts.forEach((part, index) => part && parts.set(index, { parts: part }));
  return { doc, compile: async () => parts };
}

async function parseAndCompile(text: string, path: string, absolute: string, body: { key: string; bodyStart: number; bodyLine: number }): Promise<PreparedDoc> {
  const { parseRunbookText } = await import('../markdown/parse.js');
  const doc = parseRunbookText(text, path);
  return {
    doc,
    compile: async () => {
      const code = doc.blocks.filter((block) => block.kind === 'code');
      const { transpileAhead } = await import('../engine/transpile.js');
      const { compileParts } = await import('../engine/compile.js');
      // Transpiled ahead (cached, batched), and before the doc's processes are marked: see transpileAhead.
      const ahead = await transpileAhead(code, absolute);
      const compiled = new Map<number, BlockCode>();
      for (const block of code) {
        try {
          compiled.set(block.index, { parts: compileParts(block, absolute, ahead) });
        } catch (error) {
          compiled.set(block.index, { error });
        }
      }
      // A doc with a block that does not compile is not kept: its error is reported afresh each run.
      const parts = doc.blocks.map((block) => {
        const result = compiled.get(block.index);
        return result && 'parts' in result ? result.parts : null;
      });
      if ([...compiled.values()].every((result) => 'parts' in result)) {
        const entry = { heading: doc.heading, blocks: shifted(doc.blocks, -body.bodyLine, -body.bodyStart), parts };
        const { value, tail } = toStored(entry);
        cache.set(body.key, entry, { tail, stored: value });
      }
      return compiled;
    },
  };
}
