import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { expandPaths } from '../../src/cli/expand-paths.js';
import { makeDocs } from '../support/cli.js';

// docs/ holds two docs, a symlinked doc inside it, and links that lead out of it or round in circles.
function tree(): string {
  const dir = makeDocs({ 'docs/a.md': '# a\n', 'docs/sub/b.md': '# b\n', 'outside/o.md': '# o\n', 'docs/.hidden/h.md': '# h\n' });
  symlinkSync('..', join(dir, 'docs/up'));
  symlinkSync('.', join(dir, 'docs/sub/self'));
  symlinkSync('sub', join(dir, 'docs/again'));
  symlinkSync('../outside/o.md', join(dir, 'docs/escape.md'));
  symlinkSync('a.md', join(dir, 'docs/alias.md'));
  symlinkSync('missing.md', join(dir, 'docs/dangling.md'));
  mkdirSync(join(dir, 'docs/node_modules/pkg'), { recursive: true });
  writeFileSync(join(dir, 'docs/node_modules/pkg/readme.md'), '# dep\n');
  return dir;
}

describe('expandPaths', () => {
  it('walks a folder without leaving it through symlinks or looping', async () => {
    const dir = tree();
    expect(await expandPaths([join(dir, 'docs')])).toEqual(['a.md', 'alias.md', 'sub/b.md'].map((name) => join(dir, 'docs', name)));
  });

  it('expands a glob without following symlinks', async () => {
    const dir = tree();
    expect(await expandPaths(['docs/**/*.md'], dir).then((files) => files.sort())).toEqual(['docs/a.md', 'docs/sub/b.md']);
  });
});
