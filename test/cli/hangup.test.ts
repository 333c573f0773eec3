import { spawn, execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cliPath, fence, makeDocs } from '../support/cli.js';
import { Terminal } from '../support/tmux.js';

function processesRunning(marker: string): string[] {
  return execFileSync('ps', ['-eo', 'pid,args'], { encoding: 'utf8' })
    .split('\n')
    .map((line) => line.trim().replace(/^\d+\s+/, ''))
    // The CLI itself, not the tmux and shell command lines that mention it.
    .filter((command) => command.startsWith('node ') && command.includes(marker));
}

async function waitFor(check: () => boolean, ms: number): Promise<boolean> {
  for (const deadline = Date.now() + ms; Date.now() < deadline; await new Promise((r) => setTimeout(r, 100))) {
    if (check()) return true;
  }
  return check();
}

// A CLI whose reader or terminal went away must end, not spin on failing writes.
describe('when the output goes away', () => {
  it('a closed pipe ends the run promptly with exit 141', async () => {
    const dir = makeDocs({ 'chatty.md': fence('ts', 'for (let i = 0; i < 5000; i++) console.log("line", i)\nawait new Promise((r) => setTimeout(r, 2000))') });
    const child = spawn(process.execPath, [cliPath, 'run', 'chatty.md', '--reporter', 'literate', '--no-stamp'], { cwd: dir, stdio: ['ignore', 'pipe', 'ignore'] });
    child.stdout.once('data', () => child.stdout.destroy());
    const started = Date.now();
    const code = await new Promise<number | null>((resolve) => child.on('exit', (exitCode) => resolve(exitCode)));
    expect(code).toBe(141);
    expect(Date.now() - started).toBeLessThan(8000);
  });

  it.each(['--watch', '--console'])('a terminal hang-up ends %s', async (mode) => {
    const marker = `hangup-${mode.slice(2)}-${process.pid}`;
    const dir = makeDocs({ [`${marker}.md`]: fence('ts', 'const ready = 1\nconsole.log("ready")') });
    const terminal = new Terminal(`node ${cliPath} run ${join(dir, `${marker}.md`)} ${mode} --no-stamp`, dir);
    try {
      expect(await waitFor(() => terminal.screen().includes('ready'), 10_000)).toBe(true);
      expect(processesRunning(marker)).toHaveLength(1);
    } finally {
      terminal.close();
    }
    expect(await waitFor(() => processesRunning(marker).length === 0, 5000)).toBe(true);
  });
});
