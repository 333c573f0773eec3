import { basename, dirname, join } from 'node:path';
import type TS from 'typescript';
import type { BlockPlacement } from '../compiled-block.js';
import { namesUsed, topLevelNames, type NameKind } from './top-level-names.js';

/** A block to check, placed in its doc. */
export type CheckedBlock = BlockPlacement;

/** One block as a module of its own: the lines the checker adds, then the block's code, then its exports. */
export interface BlockFile {
  fileName: string;
  text: string;
  block: CheckedBlock;
  /** The 0-based line of the file the block's code starts on. */
  codeStart: number;
  /** Lines of the block's own code. */
  codeLines: number;
}

const javaScript = new Set(['js', 'javascript', 'mjs']);

/** Whether a block is JavaScript: checked (as a .js file) only when it opts in with `// @ts-check`, as a .js file does. */
export function isJavaScript(block: CheckedBlock): boolean {
  return javaScript.has(block.lang);
}

function extensionOf(block: CheckedBlock): string {
  return isJavaScript(block) ? 'js' : block.lang === 'tsx' ? 'tsx' : 'ts';
}

// Beside the doc, so that its relative imports and node_modules resolve as when it runs.
function blockFileName(docPath: string, block: CheckedBlock): string {
  return join(dirname(docPath), `__runbook_${basename(docPath).replace(/[^\w.-]/g, '_')}_block${block.index}.${extensionOf(block)}`);
}

function moduleOf(fileName: string): string {
  return `./${basename(fileName).replace(/\.(tsx?|js)$/, '')}`;
}

// A later block may assign an earlier let or var: it gets a binding of its own with the same type.
function redeclare(name: string, module: string, js: boolean): string {
  return js ? `/** @type {typeof import('${module}').${name}} */ let ${name};` : `declare let ${name}: typeof import('${module}').${name};`;
}

/**
 * A doc's blocks as one program, the way they run: each block a module that
 * sees what earlier blocks declared (the latest declaration of a name wins, as
 * when a later block declares it again). A block's first lines import the
 * earlier names it uses; `let` and `var` names are declared again with their type,
 * so that the block may assign them. Its last line exports what it declares.
 */
export function notebookFiles(ts: typeof TS, docPath: string, blocks: CheckedBlock[]): BlockFile[] {
  const visible = new Map<string, { kind: NameKind; module: string }>();
  const files: BlockFile[] = [];
  for (const block of blocks) {
    const fileName = blockFileName(docPath, block);
    const js = isJavaScript(block);
    const kind = js ? ts.ScriptKind.JS : block.lang === 'tsx' ? ts.ScriptKind.TSX : ts.ScriptKind.TS;
    const source = ts.createSourceFile(fileName, block.source, ts.ScriptTarget.Latest, false, kind);
    const own = topLevelNames(ts, source);
    // Only what the block names: importing every earlier name would make a long doc cost its square.
    const used = namesUsed(ts, source);
    const imports = new Map<string, string[]>();
    const redeclared: string[] = [];
    for (const [name, { kind: nameKind, module }] of visible) {
      if (own.has(name) || !used.has(name)) continue;
      if (nameKind === 'mutable') redeclared.push(redeclare(name, module, js));
      else imports.set(module, [...(imports.get(module) ?? []), name]);
    }
    // One a line: a JSDoc type only reaches a declaration that starts its line.
    const header = [...[...imports].map(([module, names]) => `import { ${names.join(', ')} } from '${module}';`), ...redeclared, 'export {};'];
    const footer = own.size ? `export { ${[...own.keys()].join(', ')} };` : '';
    files.push({ fileName, block, text: `${header.join('\n')}\n${block.source}\n${footer}\n`, codeStart: header.length, codeLines: block.source.split('\n').length });
    for (const [name, nameKind] of own) visible.set(name, { kind: nameKind, module: moduleOf(fileName) });
  }
  return files;
}
