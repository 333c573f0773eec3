import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import vm from 'node:vm';
import { describe, expect, it } from 'vitest';
import { repoRoot } from './support/cli.js';

describe('the published package', () => {
  it('ships the MIT LICENSE that package.json names', () => {
    const manifest = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { license: string; files: string[] };
    const license = readFileSync(join(repoRoot, 'LICENSE'), 'utf8');
    expect(manifest.license).toBe('MIT');
    expect(license.split('\n').slice(0, 3)).toEqual(['MIT License', '', 'Copyright (c) 2026 the runbook authors']);
    expect(manifest.files).toContain('LICENSE');

    // What `npm publish` would upload, without building: only the file list matters here.
    const [packed] = JSON.parse(execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: repoRoot, encoding: 'utf8' })) as [{ files: { path: string }[] }];
    const paths = packed.files.map((file) => file.path);
    expect(paths).toContain('LICENSE');
    expect(paths).toContain('README.md');
  });

  // load-bundle compiles the file's text as it is: joined to a wrapper first, V8 copied all 1.8 MB of it.
  it('builds runbook.cjs as its module function, strict like the ES modules it is built from', () => {
    const text = readFileSync(join(repoRoot, 'dist/runbook.cjs'), 'latin1');
    const moduleFunction = new vm.Script(text, { filename: 'runbook.cjs' }).runInThisContext() as unknown;
    expect(typeof moduleFunction).toBe('function');
    expect((moduleFunction as (...args: unknown[]) => unknown).length).toBe(5); // exports, require, module, __filename, __dirname
    // A strict function has no `caller` to read; a sloppy one answers null.
    expect(() => (moduleFunction as { caller: unknown }).caller).toThrow(TypeError);
  });

  // Node reads an all-ASCII file on a faster path, and every run reads the bundle twice (supervisor and executor).
  it('builds runbook.cjs and zod.cjs all in ASCII', () => {
    for (const file of ['dist/runbook.cjs', 'dist/zod.cjs']) {
      const text = readFileSync(join(repoRoot, file), 'utf8');
      expect({ file, nonAscii: text.match(/[^\x00-\x7f]/g)?.length ?? 0 }).toEqual({ file, nonAscii: 0 });
    }
  });
});
