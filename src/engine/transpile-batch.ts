import { randomBytes } from 'node:crypto';
import type { Loader } from 'esbuild';
import { firstTransformError, loadEsbuild, transformOptions } from './esbuild-loader.js';
import { decodeMappings, findOriginal, sliceMappings, type Mappings } from './source-mappings.js';
import type { TranspiledEntry } from './transpile-cache.js';

// One esbuild call for all of a doc's TypeScript blocks instead of one per
// block: each call is a round trip to esbuild's process. The blocks are joined
// with a marker statement between them and the output is cut at the markers.
// The cut is trusted only if every marker comes back alone on its own line, at
// the position it had in the input, with nothing before the first one or after
// the last, and every piece's source map points inside its own block; anything
// else (a syntax error, a construct running across blocks) returns undefined
// and the caller transpiles the blocks one by one.
//
// esbuild renames a nested binding that shadows a top-level one (`x` → `x2`):
// in one file, another block's top-level names count too, so a block could
// come out with names that differ from its own transform (and show up in
// error messages). A piece with any identifier its source does not have is
// therefore left out, and only that block is transpiled on its own.

export interface BatchBlock {
  source: string;
  loader: Loader;
}

const nonce = randomBytes(6).toString('hex');
const markerPrefix = `__runbook_block_${nonce}(`;
// The index goes in as a string: esbuild would print the number 1000 as 1e3.
const marker = (index: number): string => `${markerPrefix}"${index}");`;

/**
 * Constructs whose output can depend on the other code in the same file: enums
 * and namespaces merge and inline across it, and top-level `this` becomes
 * `undefined` once any block has an import or export. Such blocks go alone.
 */
const fileSensitive = /\b(?:enum|namespace|module)\s+[\w$"']|\bthis\b/;

/** True if a block can share one transform with others and come out the same as on its own. */
export function isBatchable(block: BatchBlock): boolean {
  return block.loader === 'ts' && !fileSensitive.test(block.source) && !block.source.includes(markerPrefix);
}

function lineCount(text: string): number {
  let count = 1;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) count++;
  return count;
}

const identifier = /[\p{ID_Start}$_][\p{ID_Continue}$\u200c\u200d]*/gu;

// True if the output uses no name (identifier or keyword) that the source does not.
function namesFromSource(code: string, source: string): boolean {
  const known = new Set(source.match(identifier));
  for (const name of code.match(identifier) ?? []) if (!known.has(name)) return false;
  return true;
}

/**
 * Transpiles the blocks (all batchable, same loader) in one call. Returns one
 * entry per block, in order — undefined for a block to transpile on its own —
 * or undefined when the batch as a whole cannot be trusted.
 */
export async function transpileBatch(blocks: readonly BatchBlock[], sourcefile: string): Promise<(TranspiledEntry | undefined)[] | undefined> {
  // Where each marker and each block start, in lines of the joined input.
  const markerLines: number[] = [];
  const parts: string[] = [];
  let line = 0;
  blocks.forEach((block, index) => {
    markerLines.push(line);
    parts.push(marker(index), block.source);
    line += 1 + lineCount(block.source);
  });
  markerLines.push(line);
  parts.push(marker(blocks.length), '');
  const loader = blocks[0]?.loader ?? 'ts';

  let result;
  try {
    result = await loadEsbuild().transform(parts.join('\n'), transformOptions(loader, sourcefile));
  } catch (error) {
    if (firstTransformError(error)) return undefined;
    throw error;
  }
  const mappings = decodeMappings((JSON.parse(result.map) as { mappings: string }).mappings);
  const lines = result.code.split('\n');
  const found = findMarkers(lines, mappings, markerLines);
  if (!found) return undefined;

  const entries: (TranspiledEntry | undefined)[] = [];
  for (let index = 0; index < blocks.length; index++) {
    const { source } = blocks[index]!;
    const from = found[index]! + 1;
    const to = found[index + 1]!;
    const pieceLines = lines.slice(from, to);
    const code = pieceLines.length ? `${pieceLines.join('\n')}\n` : '';
    const own = sliceMappings(mappings, from, to, markerLines[index]! + 1);
    if (!staysInside(own, lineCount(source))) return undefined;
    entries.push(namesFromSource(code, source) ? { code, mappings: own } : undefined);
  }
  return entries;
}

// The output line of every marker, or undefined if they did not come through intact.
function findMarkers(lines: string[], mappings: Mappings, markerLines: number[]): number[] | undefined {
  const found: number[] = [];
  for (let i = 0; i < lines.length; i++) {
    const text = lines[i]!;
    if (!text.includes(markerPrefix)) continue;
    const index = found.length;
    if (text !== marker(index) || index >= markerLines.length) return undefined;
    const origin = findOriginal(mappings, i, 0);
    if (!origin || origin.line !== markerLines[index] || origin.column !== 0) return undefined;
    found.push(i);
  }
  if (found.length !== markerLines.length || found[0] !== 0) return undefined;
  // After the last marker only the final line break may follow.
  if (lines.slice(found[found.length - 1]! + 1).some((text) => text !== '')) return undefined;
  return found;
}

function staysInside(mappings: Mappings, blockLines: number): boolean {
  for (let i = 2; i < mappings.length; i += 4) {
    const origLine = mappings[i]!;
    if (origLine !== -1 && (origLine < 0 || origLine >= blockLines)) return false;
  }
  return true;
}
