import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildId } from '../../engine/build-id.js';
import { FileCache } from '../../engine/file-cache.js';
import { loadTypeScript } from '../../engine/typecheck/load-typescript.js';
import { isJavaScript, type CheckedBlock } from '../../engine/typecheck/notebook-files.js';
import { checkDocs, type DocCheck, type TypeDiagnostic } from '../../engine/typecheck/type-checker.js';
import { globalFeatureNames } from '../../features/index.js';
import type { Block, RunbookDocument } from '../../markdown/document.js';
import { parseRunbookText } from '../../markdown/parse.js';

/** Fence languages that are type-checked; `js` blocks are not. */
export const checkedLangs: ReadonlySet<string> = new Set(['ts', 'typescript', 'tsx', 'mts']);

/** One doc's check: the doc as parsed, which blocks were checked, and their type errors. */
export interface DocTypeCheck {
  path: string;
  doc: RunbookDocument;
  checked: Set<number>;
  diagnostics: TypeDiagnostic[];
}

interface CacheEntry {
  diagnostics: TypeDiagnostic[];
  /** [path, mtimeMs, size] of every file the check read besides the doc: a change to one makes the entry stale. */
  inputs: [string, number, number][];
}

const cache = new FileCache<CacheEntry>('typecheck-v1', (value) => {
  const entry = value as Partial<CacheEntry> | null;
  return Array.isArray(entry?.diagnostics) && Array.isArray(entry.inputs) ? (entry as CacheEntry) : undefined;
});

/** Whether a block is checked: a TypeScript block, or a JavaScript one that starts with `// @ts-check`; never with `nocheck`. */
export function isChecked(block: Block): boolean {
  if (block.kind !== 'code' || block.tokens.nocheck) return false;
  return checkedLangs.has(block.lang) || (isJavaScript(block) && /^\s*\/\/\s*@ts-check\b/.test(block.source));
}

function stamp(path: string): [string, number, number] {
  try {
    const { mtimeMs, size } = statSync(path);
    return [path, mtimeMs, size];
  } catch {
    return [path, -1, -1];
  }
}

// The packages a check resolved into change with the lockfile; TypeScript's own version with its package.json.
function environmentInputs(docDir: string): string[] {
  const found: string[] = [];
  for (let dir = docDir; ; dir = dirname(dir)) {
    for (const name of ['package-lock.json', 'yarn.lock', 'pnpm-lock.yaml']) if (existsSync(join(dir, name))) found.push(join(dir, name));
    if (found.length || dirname(dir) === dir) break;
  }
  try {
    found.push(createRequire(join(docDir, 'package.json')).resolve('typescript/package.json'));
  } catch {
    // The checker falls back to runbook's own TypeScript: the build id covers it.
  }
  return found;
}

function cacheKey(absolute: string, blocks: CheckedBlock[]): string {
  return createHash('sha256').update(`${buildId}\0${absolute}\0${JSON.stringify(blocks)}`).digest('hex');
}

function isFresh(entry: CacheEntry): boolean {
  return entry.inputs.every(([path, mtimeMs, size]) => {
    const [, nowMtime, nowSize] = stamp(path);
    return nowMtime === mtimeMs && nowSize === size;
  });
}

// runbook's own @types folder (it depends on @types/node), for docs outside any project that has one.
function ownTypeRoot(): string | undefined {
  try {
    return dirname(dirname(createRequire(fileURLToPath(import.meta.url)).resolve('@types/node/package.json')));
  } catch {
    return undefined;
  }
}

// runbook's own types (dist/index.d.ts), which the docs' globals are declared with.
function apiTypes(): string {
  for (let dir = dirname(fileURLToPath(import.meta.url)); ; dir = dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === 'runbook') return join(dir, 'dist', 'index.d.ts');
    if (dirname(dir) === dir) throw new Error('internal error: runbook’s own package.json was not found');
  }
}

/**
 * Type-checks docs as notebooks (see engine/typecheck/): one TypeScript program
 * for every doc that is not in the cache. A doc whose blocks and inputs are
 * unchanged is answered from the cache without loading TypeScript at all.
 * A doc with `typecheck: false` in its frontmatter is not checked.
 */
export function typecheckDocs(paths: string[]): DocTypeCheck[] {
  const checks: DocTypeCheck[] = [];
  const misses: { check: DocTypeCheck; absolute: string; blocks: CheckedBlock[]; key: string }[] = [];
  for (const path of paths) {
    const absolute = resolve(path);
    const doc = parseRunbookText(readFileSync(absolute, 'utf8'), path);
    const selected = doc.frontmatter.typecheck === false ? [] : doc.blocks.filter(isChecked);
    const check: DocTypeCheck = { path, doc, checked: new Set(selected.map((block) => block.index)), diagnostics: [] };
    checks.push(check);
    if (!selected.length) continue;
    const blocks = selected.map(({ index, lang, source, line, indent, lineIndents }) => ({ index, lang, source, line, indent, lineIndents }));
    const key = cacheKey(absolute, blocks);
    const cached = cache.get(key);
    if (cached && isFresh(cached)) check.diagnostics = cached.diagnostics;
    else misses.push({ check, absolute, blocks, key });
  }
  if (!misses.length) return checks;
  const ts = loadTypeScript(dirname(misses[0]!.absolute));
  const results = checkDocs(ts, misses.map(({ absolute, blocks }) => ({ path: absolute, blocks })), { apiTypes: apiTypes(), globalFeatures: globalFeatureNames, ownTypeRoot: ownTypeRoot() });
  for (const { check, absolute, key } of misses) {
    const result: DocCheck = results.get(absolute)!;
    check.diagnostics = result.diagnostics;
    cache.set(key, { diagnostics: result.diagnostics, inputs: [...result.inputs, ...environmentInputs(dirname(absolute))].map(stamp) });
  }
  return checks;
}
