import type TS from 'typescript';

/**
 * How a later block may see a name a block declares: `mutable` names (let,
 * var) can be assigned again, so a later block re-declares them with the same
 * type; every other name (const, function, class, enum, interface, type,
 * namespace, import) is imported, which carries its type side too.
 */
export type NameKind = 'mutable' | 'imported';

function bindingNames(ts: typeof TS, name: TS.BindingName, into: string[]): void {
  if (ts.isIdentifier(name)) {
    into.push(name.text);
    return;
  }
  for (const element of name.elements) {
    if (!ts.isOmittedExpression(element)) bindingNames(ts, element.name, into);
  }
}

function importedNames(ts: typeof TS, statement: TS.ImportDeclaration): string[] {
  const clause = statement.importClause;
  if (!clause) return [];
  const names = clause.name ? [clause.name.text] : [];
  const bindings = clause.namedBindings;
  if (bindings && ts.isNamespaceImport(bindings)) names.push(bindings.name.text);
  else if (bindings) names.push(...bindings.elements.map((element) => element.name.text));
  return names;
}

/** The names a block declares at its top level, and how later blocks see each. */
export function topLevelNames(ts: typeof TS, file: TS.SourceFile): Map<string, NameKind> {
  const names = new Map<string, NameKind>();
  const add = (list: string[], kind: NameKind) => list.forEach((name) => names.set(name, kind));
  for (const statement of file.statements) {
    if (ts.isVariableStatement(statement)) {
      const list: string[] = [];
      for (const declaration of statement.declarationList.declarations) bindingNames(ts, declaration.name, list);
      add(list, statement.declarationList.flags & ts.NodeFlags.Const ? 'imported' : 'mutable');
    } else if (ts.isImportDeclaration(statement)) {
      add(importedNames(ts, statement), 'imported');
    } else if (ts.isImportEqualsDeclaration(statement) || ts.isFunctionDeclaration(statement) || ts.isClassDeclaration(statement) || ts.isEnumDeclaration(statement) || ts.isInterfaceDeclaration(statement) || ts.isTypeAliasDeclaration(statement)) {
      if (statement.name) add([statement.name.text], 'imported');
    } else if (ts.isModuleDeclaration(statement) && ts.isIdentifier(statement.name)) {
      add([statement.name.text], 'imported');
    }
  }
  return names;
}

/** Every identifier the block's code names anywhere: the earlier names it may use are among them. */
export function namesUsed(ts: typeof TS, file: TS.SourceFile): Set<string> {
  const used = new Set<string>();
  const visit = (node: TS.Node): void => {
    if (ts.isIdentifier(node)) used.add(node.text);
    ts.forEachChild(node, visit);
  };
  visit(file);
  return used;
}
