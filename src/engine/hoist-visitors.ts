import type { AnyNode, Program, VariableDeclaration } from 'acorn';
import { base, recursive, type RecursiveVisitors } from 'acorn-walk';
import { publishBlockFunction, publishLoweredFunction, rewriteClass, rewriteDeclarators, rewriteImport, rewriteLoopHead } from './hoist-declarations.js';
import type { HoistState } from './hoist-state.js';
import { RUNTIME } from './runtime-name.js';

type Next = (node: AnyNode, state: HoistState, type?: string) => void;
type Visit<N = AnyNode> = (node: N, state: HoistState, next: Next) => void;

const baseVisitors = base as unknown as Record<string, Visit>;

const isTopLevel = (parent: AnyNode | undefined): boolean =>
  parent?.type === 'Program' || parent?.type === 'ExportNamedDeclaration' || parent?.type === 'ExportDefaultDeclaration';

// `let f = function() {}` in a block, where the source had `function f() {}` (see publishLoweredFunction).
function isLoweredFunction(node: VariableDeclaration, state: HoistState): boolean {
  if (node.kind !== 'let' || state.depth !== 0 || state.strict || !state.isLoweredFunction || node.declarations.length !== 1) return false;
  if (state.parent?.type !== 'BlockStatement' && state.parent?.type !== 'SwitchCase') return false;
  const init = node.declarations[0]!.init;
  return init?.type === 'FunctionExpression' && !init.id && !init.async && !init.generator && state.isLoweredFunction(node.start);
}

// A function's (or static block's) own declarations and awaits are not the block's.
const insideFunction: Visit = (node, state, next) => {
  state.depth++;
  baseVisitors[node.type === 'StaticBlock' ? 'StaticBlock' : 'Function']!(node, state, next);
  state.depth--;
};

const visitors: Record<string, Visit> = {
  Function: insideFunction,
  StaticBlock: insideFunction,

  AwaitExpression(node, state, next) {
    if (state.depth === 0) state.awaits = true;
    baseVisitors.AwaitExpression!(node, state, next);
  },

  ForOfStatement(node, state, next) {
    if (node.type === 'ForOfStatement' && node.await && state.depth === 0) state.awaits = true;
    baseVisitors.ForOfStatement!(node, state, next);
  },

  VariableDeclaration(node, state, next) {
    if (node.type !== 'VariableDeclaration') return;
    const parent = state.parent;
    if (node.kind === 'var' && state.depth === 0) {
      if ((parent?.type === 'ForInStatement' || parent?.type === 'ForOfStatement') && parent.left === node) rewriteLoopHead(node, state);
      else rewriteDeclarators(node, state, parent?.type !== 'ForStatement');
    } else if ((node.kind === 'let' || node.kind === 'const') && isTopLevel(parent)) {
      rewriteDeclarators(node, state, true);
    } else if (isLoweredFunction(node, state)) {
      publishLoweredFunction(node, state);
    }
    baseVisitors.VariableDeclaration!(node, state, next);
  },

  ClassDeclaration(node, state, next) {
    if (node.type === 'ClassDeclaration' && node.id && isTopLevel(state.parent)) rewriteClass(node, state);
    next(node, state, 'Class');
  },

  FunctionDeclaration(node, state, next) {
    if (node.type === 'FunctionDeclaration' && node.id && state.depth === 0 && state.parent) {
      if (isTopLevel(state.parent)) state.functions.push(node.id.name);
      else if (!state.strict) publishBlockFunction(node, state.parent, state);
    }
    next(node, state, 'Function');
  },

  ImportDeclaration(node, state) {
    if (node.type === 'ImportDeclaration') rewriteImport(node, state);
  },

  ExportNamedDeclaration(node, state, next) {
    if (node.type !== 'ExportNamedDeclaration') return;
    // `export { a }` and `export … from` declare nothing here: they go.
    if (!node.declaration) return void state.edits.push({ start: node.start, end: node.end, text: '' });
    state.edits.push({ start: node.start, end: node.declaration.start, text: '' });
    next(node.declaration, state, 'Statement');
  },

  ExportDefaultDeclaration(node, state, next) {
    if (node.type !== 'ExportDefaultDeclaration') return;
    const declaration = node.declaration;
    const named = (declaration.type === 'FunctionDeclaration' || declaration.type === 'ClassDeclaration') && declaration.id;
    const anonymous = !named && (declaration.type === 'FunctionDeclaration' || declaration.type === 'ClassDeclaration');
    // An anonymous `function () {}` standing as a statement would not parse: make it an expression.
    state.edits.push({ start: node.start, end: declaration.start, text: anonymous ? 'void ' : '' });
    next(declaration, state, named ? 'Statement' : 'Expression');
  },

  ExportAllDeclaration(node, state) {
    state.edits.push({ start: node.start, end: node.end, text: '' });
  },

  ImportExpression(node, state, next) {
    state.edits.push({ start: node.start, end: node.start + 'import'.length, text: `${RUNTIME}.import` });
    baseVisitors.ImportExpression!(node, state, next);
  },

  MetaProperty(node, state) {
    if (node.type === 'MetaProperty' && node.meta.name === 'import') {
      state.edits.push({ start: node.start, end: node.end, text: `${RUNTIME}.importMeta` });
    }
  },

  // Every throw reports where it happened: a thrown non-Error carries no stack.
  ThrowStatement(node, state, next) {
    if (node.type !== 'ThrowStatement') return;
    const { argument } = node;
    state.edits.push({ start: argument.start, end: argument.start, text: `${RUNTIME}.thrown(` });
    state.edits.push({ start: argument.end, end: argument.end, text: `, ${state.blockIndex}, ${node.start})` });
    next(argument, state, 'Expression');
  },
};

// Every walker keeps `state.parent`; a node reached again through its aggregate type
// (Statement, Expression, Function…) is the same node, not a child of itself.
const tracked: Record<string, Visit> = {};
for (const type of Object.keys(baseVisitors)) {
  const visit = visitors[type] ?? baseVisitors[type]!;
  tracked[type] = (node, state, next) => {
    if (node === state.node) return visit(node, state, next);
    const { node: outer, parent } = state;
    state.parent = outer;
    state.node = node;
    visit(node, state, next);
    state.node = outer;
    state.parent = parent;
  };
}

/** One walk over the block: collects its declarations and awaits into `state` and queues the edits. */
export function walkBlock(program: Program, state: HoistState): void {
  recursive(program, state, tracked as unknown as RecursiveVisitors<HoistState>);
}
