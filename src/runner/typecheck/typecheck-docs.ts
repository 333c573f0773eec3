import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildId } from '../../engine/build-id.js';
import { messageOf } from '../../errors.js';
import { FileCache } from '../../engine/file-cache.js';
import { loadTypeScript } from '../../engine/typecheck/load-typescript.js';
import { isJavaScript, type CheckedBlock } from '../../engine/typecheck/notebook-files.js';
import { checkDocs, type DocCheck, type TypeDiagnostic } from '../../engine/typecheck/type-checker.js';
import { globalFeatureNames } from '../../features/index.js';
import { docTitle, type Block, type RunbookDocument } from '../../markdown/document.js';
import { parseFrontmatter } from '../../markdown/frontmatter.js';
import { findFrontmatter, lineAt } from '../../markdown/frontmatter-span.js';
import { shifted } from '../prepare-doc.js';
import { parseRunbookText } from '../../markdown/parse.js';

/** Fence languages that are type-checked; `js` blocks are not. */
export const checkedLangs: ReadonlySet<string> = new Set(['ts', 'typescript', 'tsx', 'mts']);

/** One doc's check: the doc as parsed, which blocks were checked, and their type errors. */
export interface DocTypeCheck {
  path: string;
  doc: RunbookDocument;
  checked: Set<number>;
  diagnostics: TypeDiagnostic[];
  /** Why the doc could not be read or parsed (bad frontmatter, a bad fence token): nothing of it was checked. */
  error?: { message: string; code?: string };
}

function unreadable(path: string, error: unknown): DocTypeCheck {
  const doc: RunbookDocument = { path, text: '', frontmatter: {}, frontmatterSpan: null, title: path, blocks: [] };
  return { path, doc, checked: new Set(), diagnostics: [], error: { message: messageOf(error), code: (error as { code?: string }).code } };
}

/**
 * A doc's check, keyed by its body (after the frontmatter, so that a stamp does
 * not invalidate it), with the doc's blocks: a hit needs no Markdown parser.
 * Positions are relative to the body's start.
 */
interface CacheEntry {
  heading?: string;
  blocks: Block[];
  diagnostics: TypeDiagnostic[];
  /** [path, mtimeMs, size] of every file the check read besides the doc: a change to one makes the entry stale. */
  inputs: [string, number, number][];
}

const cache = new FileCache<CacheEntry>('typecheck-v2', (value) => {
  const entry = value as Partial<CacheEntry> | null;
  return Array.isArray(entry?.diagnostics) && Array.isArray(entry.inputs) && Array.isArray(entry.blocks) ? (entry as CacheEntry) : undefined;
});

/** Whether a block is checked: a TypeScript block, or a JavaScript one that starts with `// @ts-check`; never with `nocheck`. */
export function isChecked(block: Block): boolean {
  if (block.kind !== 'code' || block.tokens.nocheck) return false;
  return checkedLangs.has(block.lang) || (isJavaScript(block) && /^\s*\/\/\s*@ts-check\b/.test(block.source));
}

// Docs share most of their inputs (runbook's own types, a tsconfig): each is looked at once a call
// of typecheckDocs (cleared at its start: a long-lived caller must see files change between calls).
const stamps = new Map<string, [string, number, number]>();

function stamp(path: string): [string, number, number] {
  let known = stamps.get(path);
  if (!known) {
    try {
      const { mtimeMs, size } = statSync(path);
      known = [path, mtimeMs, size];
    } catch {
      known = [path, -1, -1];
    }
    stamps.set(path, known);
  }
  return known;
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

function cacheKey(absolute: string, body: string): string {
  return createHash('sha256').update(`${buildId}\0${absolute}\0`).update(body).digest('hex');
}

const shiftLines = (diagnostics: TypeDiagnostic[], lines: number) => diagnostics.map((diagnostic) => ({ ...diagnostic, line: diagnostic.line + lines }));

/** The doc's text split at its frontmatter, parsed from the cache when its body was checked before. */
function readDoc(path: string, absolute: string): { doc: RunbookDocument; key: string; bodyStart: number; bodyLine: number; cached?: CacheEntry } {
  const text = readFileSync(absolute, 'utf8');
  const span = findFrontmatter(text);
  const bodyStart = span?.end ?? 0;
  const bodyLine = span ? lineAt(text, bodyStart) - 1 : 0;
  const key = cacheKey(absolute, text.slice(bodyStart));
  const cached = cache.get(key);
  if (!cached || !isFresh(cached)) return { doc: parseRunbookText(text, path), key, bodyStart, bodyLine };
  const frontmatter = parseFrontmatter(text, span, path);
  const doc: RunbookDocument = { path, text, frontmatter, frontmatterSpan: span, title: docTitle(frontmatter, cached.heading, path), heading: cached.heading, blocks: shifted(cached.blocks, bodyLine, bodyStart) };
  return { doc, key, bodyStart, bodyLine, cached };
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
  stamps.clear();
  const checks: DocTypeCheck[] = [];
  const misses: { check: DocTypeCheck; absolute: string; blocks: CheckedBlock[]; key: string; bodyStart: number; bodyLine: number }[] = [];
  for (const path of paths) {
    const absolute = resolve(path);
    let read: ReturnType<typeof readDoc>;
    try {
      read = readDoc(path, absolute);
    } catch (error) {
      checks.push(unreadable(path, error));
      continue;
    }
    const { doc, key, bodyStart, bodyLine, cached } = read;
    // Read afresh every time: a doc may turn checking off or on without its body changing.
    const selected = doc.frontmatter.typecheck === false ? [] : doc.blocks.filter(isChecked);
    const check: DocTypeCheck = { path, doc, checked: new Set(selected.map((block) => block.index)), diagnostics: [] };
    checks.push(check);
    if (!selected.length) continue;
    if (cached) check.diagnostics = shiftLines(cached.diagnostics, bodyLine);
    else misses.push({ check, absolute, blocks: selected.map(({ index, lang, source, line, indent, lineIndents }) => ({ index, lang, source, line, indent, lineIndents })), key, bodyStart, bodyLine });
  }
  if (!misses.length) return checks;
  const ts = loadTypeScript(dirname(misses[0]!.absolute));
  const results = checkDocs(ts, misses.map(({ absolute, blocks }) => ({ path: absolute, blocks })), { apiTypes: apiTypes(), globalFeatures: globalFeatureNames, ownTypeRoot: ownTypeRoot() });
  for (const { check, absolute, key, bodyStart, bodyLine } of misses) {
    const result: DocCheck = results.get(absolute)!;
    check.diagnostics = result.diagnostics;
    cache.set(key, {
      heading: check.doc.heading,
      blocks: shifted(check.doc.blocks, -bodyLine, -bodyStart),
      diagnostics: shiftLines(result.diagnostics, -bodyLine),
      inputs: [...result.inputs, ...environmentInputs(dirname(absolute))].map(stamp),
    });
  }
  return checks;
}
