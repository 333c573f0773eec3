import { spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cliPath, fence, makeDocs } from '../support/cli.js';

// Ctrl-C during a run, without a terminal multiplexer: SIGINT sent to the CLI
// itself (as a terminal's Ctrl-C reaches it: executors run in a process group
// of their own), and a key typed at the --step prompt through `script`'s
// pseudo-terminal.

const doc = [
  '# Slow',
  '',
  fence('ts', "console.log('started')\nawait new Promise((resolve) => setTimeout(resolve, 60_000))\nconsole.log('never')"),
  fence('ts', "console.log('second')"),
].join('\n');

interface Interrupted {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Starts the CLI with pipes, sends SIGINT once stdout shows `when`, and collects what it printed. */
function interruptWhen(cwd: string, args: string[], when: string): Promise<Interrupted> {
  const child = spawn(process.execPath, [cliPath, ...args], { cwd, env: { ...process.env, NO_COLOR: '1', CI: 'true' }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  let sent = false;
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
    if (!sent && stdout.includes(when)) {
      sent = true;
      process.kill(child.pid!, 'SIGINT');
    }
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const killer = setTimeout(() => child.kill('SIGKILL'), 20_000);
  return new Promise((resolve) =>
    child.on('close', (code) => {
      clearTimeout(killer);
      resolve({ code, stdout, stderr });
    }),
  );
}

describe('Ctrl-C while a block runs', () => {
  it('shows the block as interrupted, not passed, and the rest as not run; exit 130, nothing stamped', async () => {
    const dir = makeDocs({ 'slow.md': doc });
    const result = await interruptWhen(dir, ['run', 'slow.md', '--reporter', 'literate'], '│ started');
    expect(result.code).toBe(130);
    expect(result.stderr).toBe('');
    expect(result.stdout).toContain('│ started\n  slow.md:4:1 Interrupted (Ctrl-C, SIGINT) while this block ran; nothing was stamped.\n');
    expect(result.stdout).toContain('┌ block 2 · ts · line 9\n│ console.log(\'second\')\n└\n○ not run: the run was interrupted (Ctrl-C, SIGINT)\n');
    expect(result.stdout).not.toContain('✓');
    expect(result.stdout).not.toMatch(/^│ never$/m);
    expect(result.stdout).toContain('docs: 0 passed, 1 failed, 0 skipped');
    expect(readFileSync(join(dir, 'slow.md'), 'utf8')).toBe(doc);
  });
});

// `script` gives the CLI a real pseudo-terminal: --step needs one, and it forwards what we write as keys.
const hasScript = spawnSync('script', ['--version'], { encoding: 'utf8' }).status === 0;

describe.skipIf(!hasScript)('Ctrl-C at the --step prompt', () => {
  it('stops the run as Ctrl-C does anywhere: cleaned up, nothing stamped, exit 130', async () => {
    const dir = makeDocs({ 'slow.md': doc });
    const command = [process.execPath, cliPath, 'run', 'slow.md', '--step', '--reporter', 'literate'].map((arg) => `'${arg}'`).join(' ');
    const child = spawn('script', ['-qec', `${command}; echo "[exit $?]"`, '/dev/null'], { cwd: dir, env: { ...process.env, NO_COLOR: '1' }, stdio: ['pipe', 'pipe', 'pipe'] });
    let screen = '';
    let typed: NodeJS.Timeout | undefined;
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      screen += chunk;
      // A moment after the prompt shows, so that the key reaches it in raw mode (as a key, not as the terminal's SIGINT).
      if (!typed && screen.includes('Run block 1? [r]un (Enter)  [s]kip  [q]uit ')) typed = setTimeout(() => child.stdin.write('\u0003'), 300);
    });
    const killer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    await new Promise((resolve) => child.on('close', resolve));
    clearTimeout(killer);
    const shown = screen.replace(/\r\n/g, '\n');
    expect(shown).toContain('Run block 1? [r]un (Enter)  [s]kip  [q]uit ^C\n○ not run: the run was interrupted (Ctrl-C, SIGINT)\n');
    expect(shown).toContain('The run was interrupted (Ctrl-C, SIGINT) before this doc finished; nothing was stamped.');
    expect(shown).not.toMatch(/^│ started\r?$/m);
    expect(shown).toContain('[exit 130]');
    expect(readFileSync(join(dir, 'slow.md'), 'utf8')).toBe(doc);
  });
});
