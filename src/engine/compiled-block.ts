import { LineIndex, originalOffset } from './edits.js';
import { findOriginal, type Mappings } from './source-mappings.js';

/** A position in the Markdown file, 1-based like editors show it. */
export interface DocPosition {
  line: number;
  column: number;
}

/** Where a block sits in its doc, enough to map positions back into the file. */
export interface BlockPlacement {
  index: number;
  lang: string;
  source: string;
  /** 1-based Markdown line of the block's first source line. */
  line: number;
  /** Characters before the block's code on each of its lines (see Block.indent). */
  indent: number;
  /** Per line, when the lines differ: a container prefix is stripped line by line (see Block.lineIndents). */
  lineIndents?: number[];
}

/** The chain of position maps from a block's script back to its source: only an error reads it. */
export interface BlockPositions {
  /** esbuild's output (the block itself when it was JavaScript already). */
  transpiled: string;
  /** Source map of transpiled → block source; absent for JavaScript. */
  mappings?: Mappings;
  /** The hoisting edits, code → transpiled (see EditedText). */
  segments: number[];
}

/**
 * Everything compiling a block produces: the script to run, and its position
 * maps, asked for only when an error needs them (the doc cache reads them
 * from disk then, see prepare-doc.ts).
 */
export interface CompiledParts {
  /** The script to run (transpiled, then hoisted). It needs `RUNTIME` on its global object, with `bindings`. */
  code: string;
  /** The script returns a promise of `{ value }` (undefined when the block ends in a statement); else the value itself. */
  isAsync: boolean;
  /** Functions the script declares in the global scope (see hoist.ts). */
  globalFunctions?: string[];
  positions(): BlockPositions;
}

export interface CompiledBlock {
  code: string;
  isAsync: boolean;
  globalFunctions?: string[];
  /** Maps a 1-based line/column of the compiled script to the Markdown file. */
  locate(line: number, column: number): DocPosition;
  /** Maps an offset in the transpiled (pre-hoist) code to the Markdown file. */
  locateTranspiledOffset(offset: number): DocPosition;
}

/** Maps a 0-based line and column of a block's source to the Markdown file. */
export function toDoc(block: BlockPlacement, line: number, column: number): DocPosition {
  // A column inside spaces that stand for part of a tab would fall before the line: keep it on the line.
  return { line: block.line + line, column: Math.max((block.lineIndents?.[line] ?? block.indent) + column + 1, 1) };
}

/** Maps offsets in a block's transpiled code to the Markdown file. */
export function transpiledLocator(block: BlockPlacement, transpiled: string, mappings: Mappings | undefined): (offset: number) => DocPosition {
  let lines: LineIndex | undefined; // built on the first error: most blocks never need it
  return (offset) => {
    lines ??= new LineIndex(transpiled);
    const { line, column } = lines.positionOf(offset);
    if (!mappings) return toDoc(block, line, column);
    const original = findOriginal(mappings, line, column);
    if (!original) return toDoc(block, line, 0);
    return toDoc(block, original.line, original.column);
  };
}

/** A runnable block from its compiled parts. */
export function compiledBlock(block: BlockPlacement, parts: CompiledParts): CompiledBlock {
  // Built on the first error: most blocks never need their position maps.
  let transpiledOffsetToDoc: ((offset: number) => DocPosition) | undefined;
  let scriptLines: LineIndex | undefined;
  const locateTranspiledOffset = (offset: number): DocPosition => {
    if (!transpiledOffsetToDoc) {
      const { transpiled, mappings } = parts.positions();
      transpiledOffsetToDoc = transpiledLocator(block, transpiled, mappings);
    }
    return transpiledOffsetToDoc(offset);
  };
  return {
    code: parts.code,
    isAsync: parts.isAsync,
    globalFunctions: parts.globalFunctions,
    locate: (line, column) => {
      scriptLines ??= new LineIndex(parts.code);
      return locateTranspiledOffset(originalOffset(parts.positions().segments, scriptLines.offsetOf(line - 1, column - 1)));
    },
    locateTranspiledOffset,
  };
}
