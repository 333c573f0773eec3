// Real child processes for the IPC tests: fixtures are bundled with esbuild
// (src included) into a temp folder, so the tests never depend on dist/ being
// current while other work rebuilds it.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const fixtures = fileURLToPath(new URL('../../fixtures/ipc/', import.meta.url));

export type Line = Record<string, any>;

export class Child {
  readonly lines: Line[] = [];
  readonly process: ChildProcessWithoutNullStreams;
  readonly exited: Promise<number | null>;
  stderr = '';
  #waiters = new Set<() => void>();

  constructor(script: string, args: string[]) {
    this.process = spawn(process.execPath, [script, ...args], { stdio: 'pipe' });
    this.exited = new Promise((resolve) => this.process.once('exit', (code) => resolve(code)));
    this.process.stderr.on('data', (chunk: Buffer) => (this.stderr += chunk.toString()));
    createInterface({ input: this.process.stdout }).on('line', (line) => {
      try {
        this.lines.push(JSON.parse(line) as Line);
      } catch {
        this.lines.push({ text: line });
      }
      for (const wake of [...this.#waiters]) wake();
    });
  }

  get pid(): number {
    return this.process.pid!;
  }

  send(command: object): void {
    this.process.stdin.write(`${JSON.stringify(command)}\n`);
  }

  events(name: string): Line[] {
    return this.lines.filter((line) => line.event === name);
  }

  /** Resolves with the first line (from the start) that matches; fails with what was seen. */
  waitFor(match: (line: Line) => boolean, timeoutMs = 5000, what = 'a matching line'): Promise<Line> {
    return new Promise((resolve, reject) => {
      const check = (): boolean => {
        const found = this.lines.find(match);
        if (found) {
          cleanup();
          resolve(found);
        }
        return Boolean(found);
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`pid ${this.pid}: no ${what} within ${timeoutMs} ms. Lines: ${JSON.stringify(this.lines)} stderr: ${this.stderr}`));
      }, timeoutMs);
      const cleanup = (): void => {
        clearTimeout(timer);
        this.#waiters.delete(wake);
      };
      const wake = (): void => void check();
      if (!check()) this.#waiters.add(wake);
    });
  }

  /** Waits until `count` lines match. */
  async waitForCount(match: (line: Line) => boolean, count: number, timeoutMs = 5000, what = 'lines'): Promise<Line[]> {
    const deadline = Date.now() + timeoutMs;
    while (this.lines.filter(match).length < count) {
      if (Date.now() > deadline) {
        throw new Error(`pid ${this.pid}: expected ${count} ${what}, got ${this.lines.filter(match).length}. Lines: ${JSON.stringify(this.lines)} stderr: ${this.stderr}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    return this.lines.filter(match);
  }

  kill(signal: NodeJS.Signals = 'SIGTERM'): void {
    if (this.process.exitCode === null && this.process.signalCode === null) this.process.kill(signal);
  }
}

/** Bundles the fixtures once per test file and tracks every child it starts. */
export class IpcLab {
  readonly children: Child[] = [];
  readonly dirs: string[] = [];
  #out = '';

  async build(): Promise<void> {
    this.#out = mkdtempSync(join(tmpdir(), 'rb-fix-'));
    await build({
      entryPoints: { 'wm-process': join(fixtures, 'wm-process.ts'), 'lock-contender': join(fixtures, 'lock-contender.ts') },
      outdir: this.#out,
      outExtension: { '.js': '.mjs' },
      bundle: true,
      format: 'esm',
      platform: 'node',
      target: 'node20',
      logLevel: 'error',
    });
  }

  /** A private folder (mode 0700, short path: socket paths are limited to ~100 bytes). */
  tempDir(prefix = 'rb-wm-'): string {
    const dir = mkdtempSync(join(tmpdir(), prefix));
    this.dirs.push(dir);
    return dir;
  }

  windowManager(socketDir: string): Child {
    return this.#track(new Child(join(this.#out, 'wm-process.mjs'), [socketDir]));
  }

  /** A stand-in app; `reconnectMs` between connect attempts [default 25], first one after `startDelayMs` [default 0]. */
  app(socketDir: string, clientId: string, options: { reconnectMs?: number; startDelayMs?: number } = {}): Child {
    const args = [join(socketDir, 'ipc-window.sock'), clientId, String(options.reconnectMs ?? 25), String(options.startDelayMs ?? 0)];
    return this.#track(new Child(join(fixtures, 'app.mjs'), args));
  }

  lockContender(lockPath: string): Child {
    return this.#track(new Child(join(this.#out, 'lock-contender.mjs'), [lockPath]));
  }

  /** Kills only the children this lab started, then removes its folders; `final` removes the bundle too. */
  async cleanup(final = false): Promise<void> {
    for (const child of this.children) child.kill('SIGKILL');
    await Promise.all(this.children.map((child) => child.exited));
    this.children.length = 0;
    for (const dir of this.dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
    if (final && this.#out) rmSync(this.#out, { recursive: true, force: true });
  }

  #track(child: Child): Child {
    this.children.push(child);
    return child;
  }
}
