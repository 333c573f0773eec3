import { basename, dirname, join } from 'node:path';
import type TS from 'typescript';
import type { BlockPlacement } from '../compiled-block.js';
import { topLevelNames, type NameKind } from './top-level-names.js';

/** A block to check, placed in its doc. */
export type CheckedBlock = BlockPlacement;

/** One block as a TypeScript module of its own; its code starts on the file's second line. */
export interface BlockFile {
  fileName: string;
  text: string;
  block: CheckedBlock;
  /** Lines of the block's own code (the first is line 1 of the file, 0-based). */
  codeLines: number;
}

// Beside the doc, so that its relative imports and node_modules resolve as when it runs.
function blockFileName(docPath: string, block: CheckedBlock): string {
  return join(dirname(docPath), `__runbook_${basename(docPath).replace(/[^\w.-]/g, '_')}_block${block.index}.${block.lang === 'tsx' ? 'tsx' : 'ts'}`);
}

function moduleOf(fileName: string): string {
  return `./${basename(fileName).replace(/\.tsx?$/, '')}`;
}

/**
 * A doc's blocks as one program, the way they run: each block a module that
 * sees what earlier blocks declared (the latest declaration of a name wins, as
 * when a later block declares it again). A block's first line imports the
 * names it may use; `let` and `var` names are declared again with their type,
 * so that the block may assign them. Its last line exports what it declares.
 */
export function notebookFiles(ts: typeof TS, docPath: string, blocks: CheckedBlock[]): BlockFile[] {
  const visible = new Map<string, { kind: NameKind; module: string }>();
  const files: BlockFile[] = [];
  for (const block of blocks) {
    const fileName = blockFileName(docPath, block);
    const own = topLevelNames(ts, ts.createSourceFile(fileName, block.source, ts.ScriptTarget.Latest, false, block.lang === 'tsx' ? ts.ScriptKind.TSX : ts.ScriptKind.TS));
    const imports = new Map<string, string[]>();
    const redeclared: string[] = [];
    for (const [name, { kind, module }] of visible) {
      if (own.has(name)) continue;
      if (kind === 'mutable') redeclared.push(`declare let ${name}: typeof import('${module}').${name};`);
      else imports.set(module, [...(imports.get(module) ?? []), name]);
    }
    const header = [...[...imports].map(([module, names]) => `import { ${names.join(', ')} } from '${module}';`), ...redeclared, 'export {};'].join(' ');
    const footer = own.size ? `export { ${[...own.keys()].join(', ')} };` : '';
    files.push({ fileName, block, text: `${header}\n${block.source}\n${footer}\n`, codeLines: block.source.split('\n').length });
    for (const [name, kind] of own) visible.set(name, { kind, module: moduleOf(fileName) });
  }
  return files;
}
