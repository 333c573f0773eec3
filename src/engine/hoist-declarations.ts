import type { AnyNode, ClassDeclaration, FunctionDeclaration, ImportDeclaration, VariableDeclaration } from 'acorn';
import { boundNames, retargetPattern } from './hoist-patterns.js';
import { BINDINGS, type HoistState } from './hoist-state.js';
import { RUNTIME } from './runtime-name.js';

/**
 * `var a = 1, b` → `void (a = 1, void 0)`; a top-level `let`/`const` assigns through the
 * bindings instead: `const { a } = o` → `void ({ a: B.const.a } = o)`. `void` keeps the
 * statement from continuing the line before it and gives it no completion value.
 */
export function rewriteDeclarators(node: VariableDeclaration, state: HoistState, asStatement: boolean): void {
  const { edits } = state;
  const declarations = node.declarations;
  const target = node.kind === 'var' ? undefined : `${BINDINGS}.${node.kind === 'const' ? 'const' : 'let'}`;
  const names = target ? state.lexical : state.vars;
  edits.push({ start: node.start, end: declarations[0]!.start, text: 'void (' });
  const several = declarations.length > 1;
  for (const declarator of declarations) {
    names.push(...boundNames(declarator.id));
    // A bare `var x` keeps the value x had, as plain JavaScript does.
    if (!declarator.init && !target) {
      edits.push({ start: declarator.start, end: declarator.end, text: 'void 0' });
      continue;
    }
    if (several) edits.push({ start: declarator.start, end: declarator.start, text: '(' });
    if (target) retargetPattern(declarator.id, target, edits);
    if (!declarator.init) edits.push({ start: declarator.id.end, end: declarator.id.end, text: ' = void 0' });
    if (several) edits.push({ start: declarator.end, end: declarator.end, text: ')' });
  }
  const end = declarations[declarations.length - 1]!.end;
  edits.push({ start: end, end, text: ')' });
  if (asStatement && state.code[node.end - 1] !== ';') edits.push({ start: end, end, text: ';' });
}

/** `for (var [a, b] of xs)` → `for ([a, b] of xs)`: the loop assigns the hoisted names. */
export function rewriteLoopHead(node: VariableDeclaration, state: HoistState): void {
  const declarator = node.declarations[0]!;
  state.vars.push(...boundNames(declarator.id));
  state.edits.push({ start: node.start, end: declarator.id.start, text: '' });
}

/** `class A {}` → `void (B.let.A = class A {});` */
export function rewriteClass(node: ClassDeclaration, state: HoistState): void {
  state.lexical.push(node.id.name);
  state.edits.push({ start: node.start, end: node.start, text: `void (${BINDINGS}.let.${node.id.name} = ` });
  state.edits.push({ start: node.end, end: node.end, text: ');' });
}

/**
 * A sloppy-mode function declared in a block is also a variable of the enclosing
 * function (Annex B): publish it as the block starts, where the block's binding exists.
 */
export function publishBlockFunction(node: FunctionDeclaration, parent: AnyNode, state: HoistState): void {
  if (node.async || node.generator) return; // Annex B covers plain functions only
  const name = node.id.name;
  const publish = `${BINDINGS}.let.${name} = ${name};`;
  state.blockFunctions++;
  if (parent.type === 'BlockStatement' || parent.type === 'SwitchCase') {
    state.edits.push({ start: node.start, end: node.start, text: `${publish} ` });
  } else {
    // `if (x) function f() {}` and `label: function f() {}` get the block they imply.
    state.edits.push({ start: node.start, end: node.start, text: `{ ${publish} ` });
    state.edits.push({ start: node.end, end: node.end, text: ' }' });
  }
}

/**
 * esbuild compiles a module (a TypeScript block with top-level await) as strict code and
 * turns a block-level `function f() {}` into `let f = function() {}`: publish it after
 * that, as the sloppy-mode function it was in the block's source.
 */
export function publishLoweredFunction(node: VariableDeclaration, state: HoistState): void {
  const declarator = node.declarations[0]!;
  if (declarator.id.type !== 'Identifier') return;
  const name = declarator.id.name;
  state.blockFunctions++;
  state.edits.push({ start: node.end, end: node.end, text: ` ${BINDINGS}.let.${name} = ${name};` });
}

/** Static imports become awaited calls to the runtime's resolver; bindings are constants, as in a module. */
export function rewriteImport(node: ImportDeclaration, state: HoistState): void {
  state.awaits = true;
  state.edits.push({ start: node.start, end: node.end, text: importText(node) });
}

function importText(node: ImportDeclaration): string {
  const load = `await ${RUNTIME}.import(${JSON.stringify(String(node.source.value))})`;
  if (node.specifiers.length === 0) return `;${load};`;
  const constant = `${BINDINGS}.const`;
  const namespace = node.specifiers.find((s) => s.type === 'ImportNamespaceSpecifier');
  if (namespace) {
    const name = namespace.local.name;
    const parts = [`${constant}.${name} = ${load}`];
    const defaultSpecifier = node.specifiers.find((s) => s.type === 'ImportDefaultSpecifier');
    if (defaultSpecifier) parts.push(`${constant}.${defaultSpecifier.local.name} = ${RUNTIME}.defaultOf(${name})`);
    return `;${parts.join('; ')};`;
  }
  const fields = node.specifiers.map((specifier) => {
    const local = `${constant}.${specifier.local.name}`;
    if (specifier.type === 'ImportSpecifier') {
      const imported = specifier.imported.type === 'Identifier' ? specifier.imported.name : JSON.stringify(specifier.imported.value);
      return `${imported}: ${local}`;
    }
    return `default: ${local}`;
  });
  return `;({ ${fields.join(', ')} } = ${RUNTIME}.withDefault(${load}));`;
}
