import { mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Container } from '../../../src/container/container.js';
import { createContainer } from '../../../src/features/create-container.js';
import type { ProcessManager } from '../../../src/features/process/process-manager.js';

let container: Container;
let folder: string;
let pm: ProcessManager;

beforeEach(() => {
  folder = realpathSync(mkdtempSync(join(tmpdir(), 'pm-test-')));
  container = createContainer({ cwd: folder });
  pm = container.feature<ProcessManager>('processManager', { enable: true, autoCleanup: true });
});

afterEach(async () => {
  await container.dispose();
  rmSync(folder, { recursive: true, force: true });
});

describe('processManager handles', () => {
  it('returns a running handle at once and ends exited with code 0', async () => {
    const handle = pm.spawn('sh', ['-c', 'echo hello; echo oops >&2'], { tag: 'greet' });
    expect(handle).toMatchObject({ id: 'proc-1', tag: 'greet', status: 'running', exitCode: null, endedAt: null });
    expect(handle.pid).toBeGreaterThan(0);
    expect(await handle.await()).toBe(0);
    expect(handle.status).toBe('exited');
    expect(handle.exitCode).toBe(0);
    expect(handle.stdout.head).toEqual(['hello']);
    expect(handle.stderr.head).toEqual(['oops']);
    expect(handle.endedAt!.getTime()).toBeGreaterThanOrEqual(handle.startedAt.getTime());
  });

  it('calls a non-zero exit crashed and emits crash on the handle and the manager', async () => {
    const events: string[] = [];
    pm.on('crashed', (h) => events.push(`pm crashed ${h.id}`));
    const handle = pm.spawn('sh', ['-c', 'exit 3']);
    handle.on('exit', (code) => events.push(`exit ${code}`));
    handle.on('crash', (code) => events.push(`crash ${code}`));
    expect(await handle.await()).toBe(3);
    expect(handle.status).toBe('crashed');
    expect(events).toEqual(['exit 3', 'crash 3', 'pm crashed proc-1']);
  });

  it('kills with a signal: status killed at once, exit code null afterwards', async () => {
    const killed: string[] = [];
    pm.on('killed', (h) => killed.push(h.id));
    const handle = pm.spawn('sleep', ['30']);
    handle.on('killed', (signal) => killed.push(`handle ${signal}`));
    expect(handle.kill()).toBe(true);
    expect(handle.status).toBe('killed');
    expect(await handle.await()).toBe(null);
    expect(handle.signal).toBe('SIGTERM');
    expect(killed).toEqual(['handle SIGTERM', 'proc-1']);
    expect(handle.kill()).toBe(false);
  });

  it('escalates to SIGKILL when a process ignores SIGTERM', async () => {
    const stubbornContainer = createContainer({ cwd: folder });
    const stubborn = stubbornContainer.feature<ProcessManager>('processManager', { killTimeoutMs: 200 });
    const handle = stubborn.spawn('sh', ['-c', "trap '' TERM; echo ready; while :; do sleep 0.05; done"]);
    await new Promise<void>((resolve) => handle.on('stdout', () => resolve()));
    handle.kill();
    expect(await handle.await()).toBe(null);
    expect(handle.signal).toBe('SIGKILL');
    await stubbornContainer.dispose();
  });

  it('streams stdout and stderr as events', async () => {
    const chunks: string[] = [];
    const handle = pm.spawn('sh', ['-c', 'echo a; echo b >&2']);
    handle.on('stdout', (chunk) => chunks.push(`out:${chunk}`));
    handle.on('stderr', (chunk) => chunks.push(`err:${chunk}`));
    await handle.await();
    expect(chunks.sort()).toEqual(['err:b\n', 'out:a\n']);
  });

  it('keeps head and tail of thousands of lines and counts the rest', async () => {
    const handle = pm.spawn('seq', ['1', '100000']);
    await handle.await();
    expect(handle.stdout.head).toEqual(Array.from({ length: 20 }, (_, i) => String(i + 1)));
    expect(handle.stdout.tail).toEqual(Array.from({ length: 50 }, (_, i) => String(99951 + i)));
    expect(handle.stdout.droppedLines).toBe(100000 - 70);
    expect(handle.stdout.totalLines).toBe(100000);
  });

  it('takes buffer limits from the options', async () => {
    const small = container.feature<ProcessManager>('processManager', { headLines: 2, tailLines: 3 });
    const handle = small.spawn('seq', ['5000']);
    await handle.await();
    expect(handle.stdout.text()).toBe('1\n2\n… 4995 lines omitted …\n4998\n4999\n5000');
  });

  it('runs in container.settings.cwd by default, resolves a relative cwd against it, and merges env', async () => {
    const handle = pm.spawn('sh', ['-c', 'pwd; echo "$GREETING"'], { env: { GREETING: 'hi there' } });
    await handle.await();
    expect(handle.stdout.head).toEqual([folder, 'hi there']);
    const up = pm.spawn('pwd', [], { cwd: '..' });
    await up.await();
    expect(up.stdout.head).toEqual([join(folder, '..')]);
  });

  it("starts from the doc's environment (container.settings.env), not the runner's", async () => {
    const docContainer = createContainer({ cwd: folder, env: { PATH: process.env.PATH, FROM_DOC: 'doc value' } });
    const handle = docContainer.feature<ProcessManager>('processManager').spawn('sh', ['-c', 'echo "$FROM_DOC|$HOME"'], { env: { HOME: '/nowhere' } });
    await handle.await();
    expect(handle.stdout.head).toEqual(['doc value|/nowhere']);
    await docContainer.dispose();
  });

  it('accepts options in place of args', async () => {
    const handle = pm.spawn('true', { tag: 'no-args' });
    expect(await handle.await()).toBe(0);
    expect(pm.getByTag('no-args')).toBe(handle);
  });
});

describe('processManager lookup, state and events', () => {
  it('finds handles by id and by tag (newest first)', async () => {
    const first = pm.spawn('true', [], { tag: 'job' });
    const second = pm.spawn('true', [], { tag: 'job' });
    const other = pm.spawn('true', [], { tag: 'other' });
    expect(pm.list()).toEqual([first, second, other]);
    expect(pm.get('proc-1')).toBe(first);
    expect(pm.get('proc-9')).toBeUndefined();
    expect(pm.getByTag('job')).toBe(second);
    expect(pm.getByTag('nope')).toBeUndefined();
    await Promise.all(pm.list().map((h) => h.await()));
  });

  it('counts processes in state and emits spawned, exited and allStopped', async () => {
    const events: string[] = [];
    for (const name of ['spawned', 'exited', 'crashed', 'killed'] as const) pm.on(name, (h) => events.push(`${name} ${h.id}`));
    pm.on('allStopped', () => events.push('allStopped'));
    const ok = pm.spawn('true');
    const bad = pm.spawn('false');
    expect(pm.state.current).toEqual({ spawned: 2, running: 2, exited: 0, crashed: 0, killed: 0 });
    await Promise.all([ok.await(), bad.await()]);
    expect(pm.state.current).toEqual({ spawned: 2, running: 0, exited: 1, crashed: 1, killed: 0 });
    expect(events.slice(0, 2)).toEqual(['spawned proc-1', 'spawned proc-2']);
    expect(events.slice(2).sort()).toEqual(['allStopped', 'crashed proc-2', 'exited proc-1']);
    expect(events.at(-1)).toBe('allStopped');
  });

  it('killAll marks every running process killed at once; stop() waits for them', async () => {
    pm.spawn('sleep', ['30']);
    pm.spawn('sleep', ['30']);
    const done = pm.spawn('true');
    await done.await();
    expect(pm.killAll()).toBe(2);
    expect(pm.list().filter((h) => h.status === 'running')).toEqual([]);
    expect(pm.state.get('killed')).toBe(2);
    expect(pm.openResources()).toEqual(['process', 'process']);
    await pm.stop();
    expect(pm.openResources()).toEqual([]);
    expect(pm.list().map((h) => h.status)).toEqual(['killed', 'killed', 'exited']);
  });

  it('reports one open process per running child in the cleanup report', async () => {
    pm.spawn('sleep', ['30']);
    pm.spawn('sleep', ['30']);
    const report = await container.dispose();
    expect(report).toEqual({ cleaned: ['2 processes'], errors: [] });
  });
});

describe('processManager bad input', () => {
  it('gives a crashed handle, not an exception, for a command that does not exist', async () => {
    const handle = pm.spawn('no-such-command-xyz', ['--flag']);
    expect(handle.status).toBe('running');
    expect(handle.pid).toBeUndefined();
    expect(await handle.await()).toBe(null);
    expect(handle.status).toBe('crashed');
    expect(handle.error).toBe('spawn no-such-command-xyz ENOENT (command not found: check the name and PATH)');
    expect(handle.stderr.head).toEqual([handle.error]);
    expect(handle.kill()).toBe(false);
  });

  it('gives a crashed handle for a cwd that does not exist', async () => {
    const handle = pm.spawn('true', [], { cwd: 'missing-folder' });
    await handle.await();
    expect(handle.status).toBe('crashed');
    expect(handle.stderr.text()).toBe(
      `Cannot start the process: cwd ${JSON.stringify(join(folder, 'missing-folder'))} does not exist. Pass an existing folder as cwd.`,
    );
  });

  it('throws a clear error for a missing command name and after dispose', async () => {
    expect(() => pm.spawn(undefined as unknown as string)).toThrow(
      "processManager.spawn() needs a command string, got undefined. Pass the program name, e.g. spawn('sleep', ['1']).",
    );
    await pm.dispose();
    expect(() => pm.spawn('true')).toThrow('Cannot spawn "true": processManager was already disposed (the doc ended).');
  });

  it('rejects unknown and mistyped options', () => {
    expect(() => container.feature('processManager', { autoCleanUp: false })).toThrow(
      "Invalid options for feature 'processManager': unknown option 'autoCleanUp'.",
    );
    expect(() => container.feature('processManager', { headLines: 'ten' })).toThrow(
      "Invalid options for feature 'processManager': 'headLines' expected number, got \"ten\" (string).",
    );
  });
});
