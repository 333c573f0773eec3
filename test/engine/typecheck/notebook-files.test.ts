import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { notebookFiles } from '../../../src/engine/typecheck/notebook-files.js';
import { topLevelNames } from '../../../src/engine/typecheck/top-level-names.js';

const block = (index: number, source: string) => ({ index, lang: 'ts', source, line: 1 + index * 10, indent: 0 });
const names = (source: string) => Object.fromEntries(topLevelNames(ts, ts.createSourceFile('x.ts', source, ts.ScriptTarget.Latest)));

describe('topLevelNames', () => {
  it('finds every name a block declares at its top level, and which may be assigned again', () => {
    expect(names("import fs, { readFile as read } from 'node:fs'\nimport * as path from 'node:path'\nconst { a, b: [c, , d] } = x\nlet e, f\nvar g\nfunction h() {}\nclass I {}\nenum J {}\ninterface K {}\ntype L = 1\nnamespace M {}\n{ const inner = 1 }")).toEqual({
      fs: 'imported',
      read: 'imported',
      path: 'imported',
      a: 'imported',
      c: 'imported',
      d: 'imported',
      e: 'mutable',
      f: 'mutable',
      g: 'mutable',
      h: 'imported',
      I: 'imported',
      J: 'imported',
      K: 'imported',
      L: 'imported',
      M: 'imported',
    });
  });
});

describe('notebookFiles', () => {
  it('gives each block the latest declaration of each earlier name it uses, re-declaring let and var so they can be assigned', () => {
    const files = notebookFiles(ts, '/docs/guide.md', [block(0, 'const a = 1\nlet b = 2'), block(2, "const a = 'again'"), block(3, 'b = a.length')]);
    expect(files.map((file) => file.fileName)).toEqual(['/docs/__runbook_guide.md_block0.ts', '/docs/__runbook_guide.md_block2.ts', '/docs/__runbook_guide.md_block3.ts']);
    // The lines the checker adds come first, one a line; the block's code follows them.
    expect(files[2]!.text.split('\n')).toEqual([
      "import { a } from './__runbook_guide.md_block2';",
      "declare let b: typeof import('./__runbook_guide.md_block0').b;",
      'export {};',
      'b = a.length',
      '',
      '',
    ]);
    expect(files[2]!.codeStart).toBe(3);
    expect(files[0]!.text.split('\n').slice(files[0]!.codeStart)).toEqual(['const a = 1', 'let b = 2', 'export { a, b };', '']);
    // A block imports only the earlier names it uses: block 2 uses none.
    expect(files[1]!.text.split('\n')[0]).toBe('export {};');
  });

  it('declares an earlier let again in JSDoc for a JavaScript block, which is a .js file', () => {
    const files = notebookFiles(ts, '/docs/guide.md', [block(0, 'let b = 2'), { ...block(1, '// @ts-check\nb = 3'), lang: 'js' }]);
    expect(files[1]!.fileName).toBe('/docs/__runbook_guide.md_block1.js');
    expect(files[1]!.text.split('\n')[0]).toBe("/** @type {typeof import('./__runbook_guide.md_block0').b} */ let b;");
  });
});
