import { runbookError } from '../errors.js';
import { LineIndex } from './edits.js';
import { hoistBlock } from './hoist.js';
import { findOriginal } from './source-mappings.js';
import { transpile } from './transpile.js';

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
  indent: number;
}

export interface CompiledBlock {
  code: string;
  isAsync: boolean;
  /** Maps a 1-based line/column of the compiled script to the Markdown file. */
  locate(line: number, column: number): DocPosition;
  /** Maps an offset in the transpiled (pre-hoist) code to the Markdown file. */
  locateTranspiledOffset(offset: number): DocPosition;
}

function toDoc(block: BlockPlacement, line: number, column: number): DocPosition {
  return { line: block.line + line, column: block.indent + column + 1 };
}

/**
 * Transpiles and hoists one block, keeping the chain of position maps
 * (script → transpiled JS → block source → Markdown) for error reports.
 */
export function compileBlock(block: BlockPlacement, docPath: string): CompiledBlock {
  let transpiled;
  try {
    transpiled = transpile(block.source, block.lang, `${docPath}#${block.index}`);
  } catch (error) {
    const at = (error as { at?: { line: number; column: number } }).at;
    if (at) throw Object.assign(error as Error, { position: toDoc(block, at.line, at.column) });
    throw error;
  }
  const transpiledLines = new LineIndex(transpiled.code);
  const { mappings } = transpiled;

  const locateTranspiledOffset = (offset: number): DocPosition => {
    const { line, column } = transpiledLines.positionOf(offset);
    if (!mappings) return toDoc(block, line, column);
    const original = findOriginal(mappings, line, column);
    if (!original) return toDoc(block, line, 0);
    return toDoc(block, original.line, original.column);
  };

  let hoisted;
  try {
    hoisted = hoistBlock(transpiled.code, block.index);
  } catch (error) {
    const pos = (error as { pos?: number }).pos;
    const message = (error as Error).message.replace(/ \(\d+:\d+\)$/, '');
    throw Object.assign(runbookError('RUNBOOK_SYNTAX', message, { cause: error }), {
      position: pos === undefined ? toDoc(block, 0, 0) : locateTranspiledOffset(pos),
    });
  }
  const scriptLines = new LineIndex(hoisted.code);
  return {
    code: hoisted.code,
    isAsync: hoisted.isAsync,
    locate: (line, column) => locateTranspiledOffset(hoisted.toOriginal(scriptLines.offsetOf(line - 1, column - 1))),
    locateTranspiledOffset,
  };
}
