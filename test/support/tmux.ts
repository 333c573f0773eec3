import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';

/**
 * A terminal for end-to-end tests of interactive commands: a tmux server on a
 * private socket (never the user's), one window running one command. Send keys,
 * read the screen; `close()` kills only this server.
 */
export class Terminal {
  readonly socket = `runbook-test-${process.pid}-${randomBytes(4).toString('hex')}`;
  #open = false;

  /** Starts `command` (a shell command line) in `cwd`, in a 120×40 terminal. */
  constructor(command: string, cwd: string) {
    // The pane outlives the command so its exit code stays readable.
    const line = `${command}; echo "[exit $?]"; sleep 600`;
    this.#tmux(['new-session', '-d', '-s', 'main', '-x', '120', '-y', '40', '-c', cwd, line]);
    this.#open = true;
  }

  #tmux(args: string[]): string {
    return execFileSync('tmux', ['-L', this.socket, '-f', '/dev/null', ...args], { encoding: 'utf8', env: { ...process.env, TMUX: '' } });
  }

  /** tmux key names ('Enter', 'C-d', 'Tab') or literal text. */
  send(...keys: string[]): void {
    this.#tmux(['send-keys', '-t', 'main', ...keys]);
  }

  /** Literal text, without interpreting key names. */
  type(text: string): void {
    this.#tmux(['send-keys', '-t', 'main', '-l', text]);
  }

  /** Types a line and presses Enter. */
  enter(text: string): void {
    this.type(text);
    this.send('Enter');
  }

  /** The screen and its scrollback, as plain text, trailing blank lines dropped. */
  screen(): string {
    return this.#tmux(['capture-pane', '-p', '-J', '-t', 'main', '-S', '-2000']).replace(/\s+$/, '');
  }

  /** Polls the screen until `test` matches; fails with the screen shown. */
  async waitFor(test: string | RegExp, timeoutMs = 10_000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const screen = this.screen();
      if (typeof test === 'string' ? screen.includes(test) : test.test(screen)) return screen;
      if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${String(test)}; the screen:\n${screen}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  close(): void {
    if (!this.#open) return;
    this.#open = false;
    try {
      // tmux leaves its socket file behind after kill-server.
      const socketPath = this.#tmux(['display-message', '-p', '#{socket_path}']).trim();
      this.#tmux(['kill-server']);
      if (socketPath) rmSync(socketPath, { force: true });
    } catch {
      // Already gone.
    }
  }
}

/** The part of a screen after the last occurrence of `marker` (inclusive). */
export function after(screen: string, marker: string): string {
  const at = screen.lastIndexOf(marker);
  return at === -1 ? screen : screen.slice(at);
}
