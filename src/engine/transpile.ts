import type { Loader } from 'esbuild';
import { runbookError } from '../errors.js';
import { firstTransformError, loadEsbuild, transformOptions } from './esbuild-loader.js';
import { decodeMappings, type Mappings } from './source-mappings.js';
import { isBatchable, transpileBatch } from './transpile-batch.js';
import { cacheKey, readCache, writeCache, type CacheEntry } from './transpile-cache.js';

export interface Transpiled {
  code: string;
  /** Source map segments (see source-mappings.ts), absent when the code was already JavaScript. */
  mappings?: Mappings;
}

/** A syntax error at a position of the block's own source (0-based). */
export interface BlockSyntaxError {
  message: string;
  line: number;
  column: number;
}

const loaders: Record<string, Loader> = { ts: 'ts', typescript: 'ts', mts: 'ts', tsx: 'tsx', jsx: 'jsx' };

// Plain JavaScript (no loader here) needs no transpiling: acorn reads it as it is.
let serviceStarted = false;

/**
 * Starts esbuild's synchronous service now, before a doc's processes are
 * marked (see runner/process-sweep.ts): started later, it would inherit the
 * doc's marker and be swept away with the doc's own processes.
 * `transpileAhead` makes this unnecessary for the blocks it was given.
 */
function startTranspiler(): void {
  if (serviceStarted) return;
  loadEsbuild().transformSync('', { loader: 'ts' });
  serviceStarted = true;
}

function fromEntry(entry: CacheEntry): Transpiled {
  if ('error' in entry) {
    const { text, line, column } = entry.error;
    const at: BlockSyntaxError = { message: text, line, column };
    throw Object.assign(runbookError('RUNBOOK_SYNTAX', text), { at });
  }
  return { code: entry.code, mappings: entry.mappings };
}

/**
 * Transpiles one block: from the cache when this source was seen before (in
 * this process or an earlier run), else with a synchronous esbuild call.
 * Throws RUNBOOK_SYNTAX with `at` (a BlockSyntaxError) when esbuild rejects it.
 */
export function transpile(source: string, lang: string, sourcefile: string, ahead?: TranspiledAhead): Transpiled {
  const loader = loaders[lang];
  if (!loader) return { code: source };
  const key = cacheKey(source, loader);
  const cached = ahead?.get(key) ?? readCache(key);
  if (cached) return fromEntry(cached);
  serviceStarted = true;
  let result;
  try {
    result = loadEsbuild().transformSync(source, transformOptions(loader, sourcefile));
  } catch (error) {
    const reported = firstTransformError(error);
    if (!reported) throw error;
    writeCache(key, { error: reported });
    const at: BlockSyntaxError = { message: reported.text, line: reported.line, column: reported.column };
    throw Object.assign(runbookError('RUNBOOK_SYNTAX', reported.text, { cause: error }), { at });
  }
  const entry = { code: result.code, mappings: decodeMappings((JSON.parse(result.map) as { mappings: string }).mappings) };
  writeCache(key, entry);
  return entry;
}

/**
 * A doc's blocks as transpileAhead left them, by cache key: compiling reads
 * them here first. The cache keeps only so many entries in memory, and a doc
 * with more blocks than that (and no disk cache) would otherwise lose its first
 * blocks' output before they are compiled, each then transpiled again alone.
 */
export type TranspiledAhead = ReadonlyMap<string, CacheEntry>;

interface Pending {
  key: string;
  source: string;
  loader: Loader;
  sourcefile: string;
}

async function transpileOne(block: Pending, keep: (key: string, entry: CacheEntry) => void): Promise<void> {
  try {
    const result = await loadEsbuild().transform(block.source, transformOptions(block.loader, block.sourcefile));
    keep(block.key, { code: result.code, mappings: decodeMappings((JSON.parse(result.map) as { mappings: string }).mappings) });
  } catch (error) {
    const reported = firstTransformError(error);
    if (!reported) throw error; // esbuild itself failed, not the block
    keep(block.key, { error: reported });
  }
}

/**
 * Transpiles a doc's blocks before they run, so that compiling them finds
 * every one in what this returns: blocks already cached cost nothing,
 * TypeScript blocks are batched into one esbuild call (one per block if the
 * batch is refused), and the calls go to esbuild's asynchronous service,
 * started here — before the doc's processes are marked. Never throws: a block
 * it could not transpile is transpiled (and its error reported) when it runs.
 */
export async function transpileAhead(blocks: readonly { index: number; lang: string; source: string }[], docPath: string): Promise<TranspiledAhead> {
  const ahead = new Map<string, CacheEntry>();
  const keep = (key: string, entry: CacheEntry): void => {
    ahead.set(key, entry);
    writeCache(key, entry);
  };
  const one = (block: Pending): Promise<void> => transpileOne(block, keep);
  const pending: Pending[] = [];
  const seen = new Set<string>();
  for (const block of blocks) {
    const loader = loaders[block.lang];
    if (!loader) continue;
    const key = cacheKey(block.source, loader);
    if (seen.has(key)) continue;
    seen.add(key);
    const cached = readCache(key);
    if (cached) ahead.set(key, cached);
    else pending.push({ key, source: block.source, loader, sourcefile: `${docPath}#${block.index}` });
  }
  if (pending.length === 0) return ahead;
  try {
    const batchable = pending.filter(isBatchable);
    const alone = pending.filter((block) => !isBatchable(block));
    const work = alone.map(one);
    if (batchable.length > 1) {
      work.push(
        transpileBatch(batchable, `${docPath}#blocks`).then(
          (entries) => {
            if (!entries) return Promise.all(batchable.map(one)).then(() => undefined);
            const left: Pending[] = [];
            entries.forEach((entry, i) => (entry ? keep(batchable[i]!.key, entry) : left.push(batchable[i]!)));
            return Promise.all(left.map(one)).then(() => undefined);
          },
          () => Promise.all(batchable.map(one)).then(() => undefined),
        ),
      );
    } else work.push(...batchable.map(one));
    await Promise.all(work);
  } catch {
    // esbuild could not start its service: fall back to the synchronous one, started now for the sweep's sake.
    try {
      startTranspiler();
    } catch {
      // The block's own transpile will report why.
    }
  }
  return ahead;
}
