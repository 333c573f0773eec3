import { runbookError } from '../errors.js';
import { compiledBlock, toDoc, transpiledLocator, type BlockPlacement, type CompiledBlock, type CompiledParts } from './compiled-block.js';
import { hoistBlock } from './hoist.js';
import { loweredFunctionCheck } from './lowered-functions.js';
import { transpile, type TranspiledAhead } from './transpile.js';

/**
 * Transpiles and hoists one block (taking esbuild's output from `ahead` when it
 * is there). Throws RUNBOOK_SYNTAX with the `position` in the Markdown file when
 * the block does not parse.
 */
export function compileParts(block: BlockPlacement, docPath: string, ahead?: TranspiledAhead): CompiledParts {
  let transpiled;
  try {
    transpiled = transpile(block.source, block.lang, `${docPath}#${block.index}`, ahead);
  } catch (error) {
    const at = (error as { at?: { line: number; column: number } }).at;
    if (at) throw Object.assign(error as Error, { position: toDoc(block, at.line, at.column) });
    throw error;
  }
  let hoisted;
  try {
    hoisted = hoistBlock(transpiled.code, block.index, { isLoweredFunction: loweredFunctionCheck(transpiled.code, block.source, transpiled.mappings) });
  } catch (error) {
    const pos = (error as { pos?: number }).pos;
    const message = (error as Error).message.replace(/ \(\d+:\d+\)$/, '');
    throw Object.assign(runbookError('RUNBOOK_SYNTAX', message, { cause: error }), {
      position: pos === undefined ? toDoc(block, 0, 0) : transpiledLocator(block, transpiled.code, transpiled.mappings)(pos),
    });
  }
  const positions = { transpiled: transpiled.code, mappings: transpiled.mappings, segments: hoisted.segments };
  return { code: hoisted.code, isAsync: hoisted.isAsync, globalFunctions: hoisted.globalFunctions, positions: () => positions };
}

/** Compiles one block, keeping the chain of position maps (script → transpiled JS → block source → Markdown). */
export function compileBlock(block: BlockPlacement, docPath: string): CompiledBlock {
  return compiledBlock(block, compileParts(block, docPath));
}
