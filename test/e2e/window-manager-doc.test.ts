import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const repo = fileURLToPath(new URL('../..', import.meta.url));
const cli = join(repo, 'bin/runbook.js');
const scratch = mkdtempSync(join(tmpdir(), 'rb-wm-doc-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

// Processes whose command line mentions `text` (the stand-in app runs from our scratch copy).
function processesMentioning(text: string): string[] {
  const found: string[] = [];
  for (const pid of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    try {
      const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
      if (cmdline.includes(text)) found.push(`${pid}: ${cmdline}`);
    } catch {
      // It exited while we looked.
    }
  }
  return found;
}

describe('docs/examples/window-manager.md', () => {
  it.skipIf(process.platform !== 'linux')('passes through the real CLI and leaves no stand-in app running', () => {
    const copy = join(scratch, 'examples');
    mkdirSync(join(copy, 'support'), { recursive: true });
    cpSync(join(repo, 'docs/examples/window-manager.md'), join(copy, 'window-manager.md'));
    cpSync(join(repo, 'docs/examples/support/stand-in-app.mjs'), join(copy, 'support/stand-in-app.mjs'));
    const run = spawnSync(process.execPath, [cli, 'run', 'window-manager.md', '--reporter', 'pretty'], {
      cwd: copy,
      env: { ...process.env, NO_COLOR: '1' },
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(run.stdout + run.stderr).toContain('docs: 1 passed, 0 failed, 0 skipped');
    expect(run.status).toBe(0);
    expect(readFileSync(join(copy, 'window-manager.md'), 'utf8')).toMatch(/\nlastTestPassed: true\r?\n/);
    expect(processesMentioning(join(copy, 'support'))).toEqual([]);
  });
});
