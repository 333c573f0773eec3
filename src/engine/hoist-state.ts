import type { AnyNode } from 'acorn';
import type { Edit } from './edits.js';
import { RUNTIME } from './runtime-name.js';

/** What the rewritten code calls to declare a name (see notebook-bindings.ts). */
export const BINDINGS = `${RUNTIME}.bindings`;

/** The one object a hoisting walk carries: where it is, and what it has found and rewritten. */
export interface HoistState {
  code: string;
  blockIndex: number;
  /** The block starts with a 'use strict' directive: block-level functions stay in their block. */
  strict: boolean;
  edits: Edit[];
  /** How many functions (or class static blocks) enclose the node: their declarations are their own. */
  depth: number;
  node: AnyNode | undefined;
  parent: AnyNode | undefined;
  /** The block awaits (or imports) outside any function: it runs in an async wrapper. */
  awaits: boolean;
  /** Top-level `let`/`const`/`class` names: uninitialized until their declaration runs. */
  lexical: string[];
  /** `var` names outside any function. */
  vars: string[];
  /** Top-level function declarations: published as the block starts. */
  functions: string[];
  /** Block-level functions published where they stand (sloppy mode, as Annex B has them). */
  blockFunctions: number;
  /** True if the `let` at this offset is a block-level function esbuild lowered (see lowered-functions.ts). */
  isLoweredFunction: ((offset: number) => boolean) | undefined;
}

export function newHoistState(code: string, blockIndex: number, strict: boolean, isLoweredFunction?: (offset: number) => boolean): HoistState {
  return {
    code,
    blockIndex,
    strict,
    edits: [],
    depth: 0,
    node: undefined,
    parent: undefined,
    awaits: false,
    lexical: [],
    vars: [],
    functions: [],
    blockFunctions: 0,
    isLoweredFunction,
  };
}
