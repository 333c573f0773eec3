import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fence, makeDocs, runCli } from '../support/cli.js';

// A doc that leaves a mark when it runs, so a test can tell that it did not.
const marking = `# Marks\n\n${fence('ts', "(await import('node:fs')).writeFileSync($doc.dir + '/ran', '')")}`;

describe('input that cannot work is refused before any doc runs', () => {
  it('an --output-file that cannot be written: exit 2, no doc run, nothing stamped', async () => {
    const dir = makeDocs({ 'doc.md': marking, 'blocker': 'a file where a folder should be' });
    const result = await runCli(['run', 'doc.md', '--reporter', 'pretty', '--reporter', 'junit', '--output-file', 'junit:blocker/junit.xml'], { cwd: dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(`runbook: Cannot write --output-file blocker/junit.xml: a part of the path is a file, not a folder (ENOTDIR). Choose a path you can write; no doc was run.\n`);
    expect(result.stdout).toBe('');
    expect(existsSync(join(dir, 'ran'))).toBe(false);
    expect(readFileSync(join(dir, 'doc.md'), 'utf8')).toBe(marking);
  });
});

// Node 20 reads `--env-file` even after the script's name unless started with `--`, as bin/runbook.js's shebang does.
describe('--env-file, through the installed command', () => {
  it('is read by runbook: a missing file is its usage error, not Node exit 9', async () => {
    const dir = makeDocs({ 'doc.md': marking });
    const result = await runCli(['run', 'doc.md', '--env-file', 'missing.env'], { cwd: dir, viaShebang: true });
    expect(result.stderr).toBe(`runbook: --env-file missing.env: no such file (looked in ${dir}). Check the path.\n`);
    expect(result.code).toBe(2);
  });

  it('gives the docs its variables; a doc with nothing to run is skipped, saying so', async () => {
    const dir = makeDocs({
      'doc.md': `${fence('ts', 'console.log(process.env.GREETING)')}\n${fence('text', 'hello from .env', 'output')}`,
      'empty.md': '',
      'binary.md': Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00]),
      '.env': 'GREETING=hello from .env\n',
    });
    const result = await runCli(['run', 'doc.md', 'empty.md', 'binary.md', '--env-file', '.env', '--no-stamp', '--reporter', 'pretty', '--jobs', '1'], { cwd: dir, viaShebang: true });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/PASS\s+doc\.md/);
    expect(result.stdout).toContain('empty.md no runnable blocks: the file is empty');
    expect(result.stdout).toContain('binary.md no runnable blocks: not a text file (it contains NUL bytes)');
    expect(result.stdout).toContain('docs: 1 passed, 0 failed, 2 skipped');
  });
});
