import { parse, type AnyNode, type Node, type Pattern, type Program, type Statement, type ModuleDeclaration } from 'acorn';
import { applyEdits, type Edit, type EditedText } from './edits.js';
import { RUNTIME } from './runtime-name.js';

export interface HoistedBlock extends EditedText {
  /** True when the block awaits at top level (or imports): it runs inside an async wrapper. */
  isAsync: boolean;
}

const functionTypes = new Set(['FunctionDeclaration', 'FunctionExpression', 'ArrowFunctionExpression']);

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

/** Visits every node; `enter` returning false skips the node's children. */
function walk(node: Node, enter: (node: AnyNode, insideFunction: boolean) => boolean | void, insideFunction = false): void {
  if (enter(node as AnyNode, insideFunction) === false) return;
  const nested = insideFunction || functionTypes.has(node.type);
  for (const key in node) {
    if (key === 'loc' || key === 'range') continue;
    const value = (node as unknown as Record<string, unknown>)[key];
    if (Array.isArray(value)) {
      for (const child of value) if (child && typeof child.type === 'string') walk(child, enter, nested);
    } else if (value && typeof value === 'object' && typeof (value as Node).type === 'string') {
      walk(value as Node, enter, nested);
    }
  }
}

/** Names bound by a declaration pattern: `{ a, b: [c, ...d] = x }` binds a, c, d. */
export function boundNames(pattern: Pattern, names: string[] = []): string[] {
  switch (pattern.type) {
    case 'Identifier':
      names.push(pattern.name);
      break;
    case 'ObjectPattern':
      for (const property of pattern.properties) {
        boundNames(property.type === 'RestElement' ? property.argument : (property.value as Pattern), names);
      }
      break;
    case 'ArrayPattern':
      for (const element of pattern.elements) if (element) boundNames(element, names);
      break;
    case 'RestElement':
      boundNames(pattern.argument, names);
      break;
    case 'AssignmentPattern':
      boundNames(pattern.left, names);
      break;
    default:
      break;
  }
  return names;
}

function usesTopLevelAwait(program: Program): boolean {
  let found = false;
  walk(program, (node, insideFunction) => {
    if (found || insideFunction) return false;
    if (node.type === 'AwaitExpression' || (node.type === 'ForOfStatement' && node.await) || node.type === 'ImportDeclaration') {
      found = true;
      return false;
    }
    return undefined;
  });
  return found;
}

/**
 * Rewrites one block so that its top-level declarations outlive it, as in a
 * notebook: every later block sees them and may declare them again.
 *
 * - Blocks without top-level await run as plain scripts: `const`/`let` become
 *   `var` (global properties, re-declarable) and classes become `var A = class A`.
 * - Blocks with top-level await run inside `(async () => { … })()`: declarations
 *   become assignments to names declared with `var` outside the wrapper, function
 *   declarations are copied to the global object as the wrapper starts, and the
 *   last expression statement is returned as the block's value.
 * - Static imports become awaited calls to the runtime's resolver, and every
 *   `throw` reports where it happened (thrown non-Errors carry no stack).
 */
export function hoistBlock(code: string, blockIndex: number): HoistedBlock {
  const program = parseProgram(code);
  const isAsync = usesTopLevelAwait(program);
  const edits: Edit[] = [];
  const hoisted: string[] = [];
  const functionNames: string[] = [];

  // Anywhere in the code: dynamic import(), import.meta and throw statements.
  walk(program, (node) => {
    if (node.type === 'ImportExpression') edits.push({ start: node.start, end: node.start + 'import'.length, text: `${RUNTIME}.import` });
    else if (node.type === 'MetaProperty' && node.meta.name === 'import') edits.push({ start: node.start, end: node.end, text: `${RUNTIME}.importMeta` });
    else if (node.type === 'ThrowStatement') {
      edits.push({ start: node.argument.start, end: node.argument.start, text: `${RUNTIME}.thrown(` });
      edits.push({ start: node.argument.end, end: node.argument.end, text: `, ${blockIndex}, ${node.start})` });
    }
    return undefined;
  });

  const statements = program.body;
  const last = statements[statements.length - 1];
  for (const statement of statements) rewriteStatement(statement, code, isAsync, edits, hoisted, functionNames);

  if (isAsync) {
    if (last?.type === 'ExpressionStatement' && !last.directive) {
      // The statement's span, not the expression's: `({ a })` has parentheses acorn leaves out of the expression.
      const end = code[last.end - 1] === ';' ? last.end - 1 : last.end;
      edits.push({ start: last.start, end: last.start, text: 'return (' });
      edits.push({ start: end, end, text: ')' });
    }
    const publish = functionNames.map((name) => `${RUNTIME}.global.${name} = ${name}; `).join('');
    // First among the insertions at offset 0, so that it opens before anything else there.
    edits.unshift({ start: 0, end: 0, text: `(async () => { ${publish}` });
    const declare = hoisted.length ? `\nvar ${[...new Set(hoisted)].join(', ')};` : '';
    edits.push({ start: code.length, end: code.length, text: `\n})()${declare}` });
  } else if (last && last.type !== 'ExpressionStatement') {
    // A script's completion value would otherwise be some earlier statement's.
    edits.push({ start: code.length, end: code.length, text: '\n;void 0' });
  }
  return { ...applyEdits(code, edits), isAsync };
}

function rewriteStatement(
  node: Statement | ModuleDeclaration,
  code: string,
  isAsync: boolean,
  edits: Edit[],
  hoisted: string[],
  functionNames: string[],
): void {
  switch (node.type) {
    case 'ExportNamedDeclaration':
      if (!node.declaration) {
        edits.push({ start: node.start, end: node.end, text: '' });
        return;
      }
      edits.push({ start: node.start, end: node.declaration.start, text: '' });
      rewriteStatement(node.declaration, code, isAsync, edits, hoisted, functionNames);
      return;
    case 'ExportDefaultDeclaration': {
      const declaration = node.declaration;
      edits.push({ start: node.start, end: declaration.start, text: '' });
      if ((declaration.type === 'FunctionDeclaration' || declaration.type === 'ClassDeclaration') && declaration.id) {
        rewriteStatement(declaration, code, isAsync, edits, hoisted, functionNames);
      }
      return;
    }
    case 'ExportAllDeclaration':
      edits.push({ start: node.start, end: node.end, text: '' });
      return;
    case 'ImportDeclaration':
      edits.push({ start: node.start, end: node.end, text: rewriteImport(node, hoisted) });
      return;
    case 'VariableDeclaration': {
      if (node.kind !== 'var' && node.kind !== 'let' && node.kind !== 'const') return; // `using` stays block-scoped
      if (!isAsync) {
        edits.push({ start: node.start, end: node.start + node.kind.length, text: 'var' });
        for (const declarator of node.declarations) {
          if (!declarator.init && node.kind !== 'var') edits.push({ start: declarator.id.end, end: declarator.id.end, text: ' = void 0' });
        }
        return;
      }
      // The commas between declarators stay: `const a = 1, b` → `;(a = 1), (b = void 0)`.
      edits.push({ start: node.start, end: node.declarations[0]!.start, text: ';' });
      for (const declarator of node.declarations) {
        hoisted.push(...boundNames(declarator.id));
        if (declarator.init) {
          edits.push({ start: declarator.start, end: declarator.start, text: '(' });
          edits.push({ start: declarator.end, end: declarator.end, text: ')' });
        } else if (node.kind === 'var') {
          // A bare `var x` re-declaration keeps x's value, as plain JavaScript does.
          edits.push({ start: declarator.start, end: declarator.end, text: 'void 0' });
        } else {
          edits.push({ start: declarator.start, end: declarator.start, text: '(' });
          edits.push({ start: declarator.end, end: declarator.end, text: ' = void 0)' });
        }
      }
      return;
    }
    case 'ClassDeclaration':
      if (!node.id) return;
      if (isAsync) hoisted.push(node.id.name);
      edits.push({ start: node.start, end: node.start, text: `${isAsync ? ';' : 'var '}${node.id.name} = ` });
      edits.push({ start: node.end, end: node.end, text: ';' });
      return;
    case 'FunctionDeclaration':
      if (isAsync && node.id) functionNames.push(node.id.name);
      return;
    default:
      return;
  }
}

function rewriteImport(node: Extract<AnyNode, { type: 'ImportDeclaration' }>, hoisted: string[]): string {
  const source = JSON.stringify(String(node.source.value));
  const load = `await ${RUNTIME}.import(${source})`;
  if (node.specifiers.length === 0) return `;${load};`;
  const namespace = node.specifiers.find((s) => s.type === 'ImportNamespaceSpecifier');
  const parts: string[] = [];
  for (const specifier of node.specifiers) hoisted.push(specifier.local.name);
  if (namespace) {
    parts.push(`${namespace.local.name} = ${load}`);
    const defaultSpecifier = node.specifiers.find((s) => s.type === 'ImportDefaultSpecifier');
    if (defaultSpecifier) parts.push(`${defaultSpecifier.local.name} = ${RUNTIME}.defaultOf(${namespace.local.name})`);
    return `;${parts.join('; ')};`;
  }
  const fields = node.specifiers.map((specifier) => {
    if (specifier.type === 'ImportDefaultSpecifier') return `default: ${specifier.local.name}`;
    if (specifier.type === 'ImportSpecifier') {
      const imported = specifier.imported.type === 'Identifier' ? specifier.imported.name : JSON.stringify(specifier.imported.value);
      return `${imported}: ${specifier.local.name}`;
    }
    return '';
  });
  return `;({ ${fields.join(', ')} } = ${RUNTIME}.withDefault(${load}));`;
}
