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
  it('gives each block the latest declaration of every earlier name, re-declaring let and var so they can be assigned', () => {
    const files = notebookFiles(ts, '/docs/guide.md', [block(0, 'const a = 1\nlet b = 2'), block(2, "const a = 'again'"), block(3, 'b = a.length')]);
    expect(files.map((file) => file.fileName)).toEqual(['/docs/__runbook_guide.md_block0.ts', '/docs/__runbook_guide.md_block2.ts', '/docs/__runbook_guide.md_block3.ts']);
    // The block's code starts on the file's second line, as the checker's positions assume.
    expect(files[2]!.text.split('\n')).toEqual([
      "import { a } from './__runbook_guide.md_block2'; declare let b: typeof import('./__runbook_guide.md_block0').b; export {};",
      'b = a.length',
      '',
      '',
    ]);
    expect(files[0]!.text.split('\n')[3]).toBe('export { a, b };');
    expect(files[1]!.text.split('\n')[0]).toBe("declare let b: typeof import('./__runbook_guide.md_block0').b; export {};");
  });
});
