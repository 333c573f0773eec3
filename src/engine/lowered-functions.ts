import { LineIndex } from './edits.js';
import { findOriginal, type Mappings } from './source-mappings.js';

/**
 * For a transpiled block, tells hoisting whether code at an offset of esbuild's output
 * came from a `function` keyword in the block's source: esbuild turns a block-level
 * function of a module into `let f = function() {}` (see publishLoweredFunction).
 */
export function loweredFunctionCheck(transpiled: string, source: string, mappings: Mappings | undefined): ((offset: number) => boolean) | undefined {
  if (!mappings) return undefined;
  let generated: LineIndex | undefined; // built when asked: few blocks have such a `let`
  let original: LineIndex | undefined;
  return (offset) => {
    generated ??= new LineIndex(transpiled);
    original ??= new LineIndex(source);
    const { line, column } = generated.positionOf(offset);
    const from = findOriginal(mappings, line, column);
    return !!from && /^function\b/.test(source.slice(original.offsetOf(from.line, from.column)));
  };
}
