import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
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

  // Node reads an all-ASCII file on a faster path, and every run reads the bundle twice (supervisor and executor).
  it('builds runbook.cjs and zod.cjs all in ASCII', () => {
    for (const file of ['dist/runbook.cjs', 'dist/zod.cjs']) {
      const text = readFileSync(join(repoRoot, file), 'utf8');
      expect({ file, nonAscii: text.match(/[^\x00-\x7f]/g)?.length ?? 0 }).toEqual({ file, nonAscii: 0 });
    }
  });
});
