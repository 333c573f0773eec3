import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { Container } from '../../src/container/container.js';
import { WindowManager } from '../../src/features/ipc/window-manager.js';
import { docResult, fence, makeDocs, runJson } from '../support/cli.js';

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

describe('windowManager.spawn() rejections', () => {
  const doc = [
    '# No app\n',
    fence('ts', "const wm = container.feature('windowManager')"),
    fence('ts', "const window = { url: 'https://example.com' }\n\nconst ack = await wm.spawn(window, { timeout: 200 })"),
  ].join('\n');

  // The doc is the broker, or a producer of a broker in this process: either way the error is at the spawn() line.
  it.each(['broker', 'producer'])('point at the line that called spawn() when the doc is the %s', async (role) => {
    const socketDir = mkdtempSync(join(tmpdir(), 'rb-wm-cs-'));
    const container = new Container().register(WindowManager);
    if (role === 'producer') await container.feature<WindowManager>('windowManager', { socketDir }).start();
    const run = await runJson(makeDocs({ 'no-app.md': doc }), ['no-app.md'], [], { env: { RUNBOOK_IPC_DIR: socketDir } });
    await container.dispose();
    rmSync(socketDir, { recursive: true, force: true });
    const error = docResult(run.report, 'no-app.md').blocks[1]!.error!;
    expect(error.code).toBe('RUNBOOK_WINDOW_NO_APP');
    expect(error.message).toBe(
      `No app connected to ${join(socketDir, 'ipc-window.sock')} within 200 ms; the window request was not sent. Start the app (or a stand-in) pointed at that socket, or pass spawn() a longer timeout.`,
    );
    expect(error.location).toBe('no-app.md:10:22');
    expect(error.frame?.split('\n')[2]).toBe('> 10 | const ack = await wm.spawn(window, { timeout: 200 })');
  });
});
