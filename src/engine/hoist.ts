import { parse, type Program, type Statement, type ModuleDeclaration } from 'acorn';
import { applyEdits, type Edit, type EditedText } from './edits.js';
import { BINDINGS, newHoistState, type HoistState } from './hoist-state.js';
import { walkBlock } from './hoist-visitors.js';

export { boundNames } from './hoist-patterns.js';

export interface HoistedBlock extends EditedText {
  /**
   * True when the block awaits at top level (or imports): its script returns a promise
   * of `{ value }` (or of undefined when it ends in a statement), so that a promise the
   * block ends with is its value, not awaited. Otherwise the script's value is the block's.
   */
  isAsync: boolean;
  /**
   * Functions the block declares as the script itself (it is run by indirect eval, see
   * run-block.ts): the runner tells the notebook bindings before running it.
   */
  globalFunctions?: string[];
}

function parseProgram(code: string): Program {
  const common = { ecmaVersion: 'latest', allowAwaitOutsideFunction: true, allowHashBang: true } as const;
  try {
    return parse(code, { ...common, sourceType: 'module' });
  } catch (moduleError) {
    // Sloppy-mode code (e.g. `with`) is valid as a script, and so is `export { name }`
    // of a name an earlier block declared (modules insist it is declared here).
    // Give the module error if the code is not a script either.
    try {
      return parse(code, { ...common, sourceType: 'script', allowImportExportEverywhere: true });
    } catch {
      throw moduleError;
    }
  }
}

export interface HoistOptions {
  /** For transpiled blocks: true if the `let` at this offset of `code` was a function declaration in the source. */
  isLoweredFunction?(offset: number): boolean;
}

type TopStatement = Statement | ModuleDeclaration;

const isDirective = (statement: TopStatement): boolean => statement.type === 'ExpressionStatement' && 'directive' in statement && !!statement.directive;

/**
 * Rewrites one block so that its declarations outlive it, as in a notebook (and as
 * Node's REPL does with top-level await): every later block sees them and may declare
 * them again. The script itself declares nothing — in the main realm a script-level
 * `var` or `function` could never be removed, nor a `let` declared twice — so names
 * become configurable properties of the global object through `RUNTIME.bindings`
 * (notebook-bindings.ts), `const` stays constant and a `let` is uninitialized until its
 * declaration runs.
 *
 * - Top-level `let`/`const`/`class` and every `var` not inside a function (loop heads,
 *   nested blocks) become assignments; the block starts with `bindings.enter(…)`.
 * - Blocks that await at top level, declare block-level functions, or are strict and
 *   declare functions run inside `(async () => { … })()` or `(() => { … })()`; top-level
 *   functions are published as the wrapper starts, sloppy-mode block-level functions where
 *   their block starts, and the last expression statement is returned (as `{ value }`
 *   when async).
 * - Other blocks run as they are, by indirect eval (run-block.ts), so their completion
 *   value is JavaScript's own and their functions are the global scope's (`globalFunctions`).
 * - Static imports become awaited calls to the runtime's resolver, and every `throw`
 *   reports where it happened (thrown non-Errors carry no stack).
 */
export function hoistBlock(code: string, blockIndex: number, options: HoistOptions = {}): HoistedBlock {
  const program = parseProgram(code);
  const statements = program.body as TopStatement[];
  let directives = 0;
  while (directives < statements.length && isDirective(statements[directives]!)) directives++;
  const strict = statements.slice(0, directives).some((s) => s.type === 'ExpressionStatement' && 'directive' in s && s.directive === 'use strict');
  const state = newHoistState(code, blockIndex, strict, options.isLoweredFunction);
  walkBlock(program, state);

  // A plain block's functions stay functions of the global scope (run by indirect eval, they can be
  // removed after the doc), so that later calls find a later block's redefinition, as in Node's REPL.
  const globalFunctions = !state.awaits && !strict && state.blockFunctions === 0 && state.functions.length > 0;
  const wrapped = state.awaits || state.blockFunctions > 0 || (state.functions.length > 0 && !globalFunctions);
  const edits: Edit[] = [];
  if (wrapped) edits.push({ start: 0, end: 0, text: state.awaits ? '(async () => { ' : '(() => { ' });
  // After the directives, so that 'use strict' stays one.
  const prologueAt = directives ? statements[directives - 1]!.end : 0;
  const prologue = enterText(state);
  if (prologue) edits.push({ start: prologueAt, end: prologueAt, text: prologueAt ? ` ${prologue}` : prologue });
  edits.push(...state.edits);

  let last: TopStatement | undefined;
  for (let i = statements.length - 1; i >= 0 && !last; i--) if (statements[i]!.type !== 'EmptyStatement') last = statements[i];
  const endsInExpression = last?.type === 'ExpressionStatement' && !isDirective(last);
  if (wrapped) {
    if (last && endsInExpression) returnLast(last, code, state.awaits, edits);
    edits.push({ start: code.length, end: code.length, text: '\n})()' });
  } else if (last && !endsInExpression) {
    // A script's completion value would otherwise be some earlier statement's.
    edits.push({ start: code.length, end: code.length, text: '\n;void 0' });
  }
  return { ...applyEdits(code, edits), isAsync: state.awaits, ...(globalFunctions ? { globalFunctions: [...new Set(state.functions)] } : {}) };
}

function enterText(state: HoistState): string {
  const { lexical, vars, functions } = state;
  if (!lexical.length && !vars.length && !functions.length) return '';
  const list = (names: string[]) => JSON.stringify([...new Set(names)]);
  const published = functions.length ? `, { ${[...new Set(functions)].join(', ')} }` : '';
  return `${BINDINGS}.enter(${list(lexical)}, ${list(vars)}${published}); `;
}

// The statement's span, not the expression's: `({ a })` has parentheses acorn leaves out of the expression.
function returnLast(last: TopStatement, code: string, isAsync: boolean, edits: Edit[]): void {
  const end = code[last.end - 1] === ';' ? last.end - 1 : last.end;
  edits.push({ start: last.start, end: last.start, text: isAsync ? 'return { value: (' : 'return (' });
  edits.push({ start: end, end, text: isAsync ? ') }' : ')' });
}
