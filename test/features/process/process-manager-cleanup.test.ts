import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createContainer } from '../../../src/features/create-container.js';
import type { ProcessManager } from '../../../src/features/process/process-manager.js';
import { grandchildCommand, processesWith, uniqueMarker, waitUntil } from '../helpers/processes.js';

// Starts the grandchild-making shell and waits until its sleeps are really there.
async function spawnFamily(pm: ProcessManager, marker: string) {
  const [command, args] = grandchildCommand(marker);
  const handle = pm.spawn(command, args);
  await waitUntil(() => processesWith(marker).length >= 2, 5000, `the sleeps of ${marker} to start`);
  return handle;
}

const gone = (marker: string) => waitUntil(() => processesWith(marker).length === 0, 5000, `every process with ${marker} to be gone`);

describe('processManager kills descendants', () => {
  it('handle.kill() kills the grandchildren too', async () => {
    const container = createContainer();
    const pm = container.feature<ProcessManager>('processManager');
    const marker = uniqueMarker();
    const handle = await spawnFamily(pm, marker);
    handle.kill();
    await handle.await();
    await gone(marker);
    expect(processesWith(marker)).toEqual([]);
    await container.dispose();
  });

  it('killAll() kills the grandchildren of every process', async () => {
    const container = createContainer();
    const pm = container.feature<ProcessManager>('processManager');
    const markers = [uniqueMarker(), uniqueMarker()];
    for (const marker of markers) await spawnFamily(pm, marker);
    expect(pm.killAll()).toBe(2);
    for (const marker of markers) await gone(marker);
    await container.dispose();
  });

  it('dispose (doc end) kills running processes and background leftovers of finished ones', async () => {
    const container = createContainer();
    const pm = container.feature<ProcessManager>('processManager');
    const running = uniqueMarker();
    await spawnFamily(pm, running);
    // The shell exits at once, leaving its background sleep behind.
    const leftover = uniqueMarker();
    const finished = pm.spawn('sh', ['-c', `sleep ${leftover} & echo started`]);
    expect(await finished.await()).toBe(0);
    await waitUntil(() => processesWith(leftover).length === 1, 5000, 'the leftover sleep');
    const report = await container.dispose();
    expect(report.cleaned).toEqual(['1 process']);
    expect(processesWith(running)).toEqual([]);
    expect(processesWith(leftover)).toEqual([]);
  });

  it('autoCleanup: false leaves processes alone at dispose', async () => {
    const container = createContainer();
    const pm = container.feature<ProcessManager>('processManager', { autoCleanup: false });
    const marker = uniqueMarker();
    const handle = await spawnFamily(pm, marker);
    await container.dispose();
    expect(processesWith(marker).length).toBeGreaterThanOrEqual(2);
    // Our own cleanup, by the group id we started.
    process.kill(-handle.pid!, 'SIGKILL');
    await gone(marker);
  });
});

describe('processManager when the runner process ends', () => {
  let folder: string;
  let script: string;

  beforeAll(async () => {
    folder = mkdtempSync(join(tmpdir(), 'pm-runner-'));
    script = join(folder, 'runner.mjs');
    // Bundled, so plain node runs it without a TypeScript loader.
    await build({
      entryPoints: [fileURLToPath(new URL('./fixtures/pm-runner-exit.ts', import.meta.url))],
      outfile: script,
      bundle: true,
      platform: 'node',
      format: 'esm',
      logLevel: 'silent',
    });
  });

  afterAll(() => rmSync(folder, { recursive: true, force: true }));

  async function runAndTerminate(mode: 'plain' | 'own-handler') {
    const marker = uniqueMarker();
    const runner = spawn(process.execPath, [script, marker, mode], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    runner.stdout.on('data', (chunk) => (stdout += chunk));
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
      runner.on('exit', (code, signal) => resolve({ code, signal })),
    );
    await waitUntil(() => stdout.includes('ready') && processesWith(marker).length >= 2, 10_000, 'the runner to start its processes');
    runner.kill('SIGTERM');
    const result = await exited;
    await gone(marker);
    return { ...result, stdout, marker };
  }

  it('SIGTERM to a runner without its own handler kills the groups, then the runner dies of SIGTERM', async () => {
    const { code, signal, marker } = await runAndTerminate('plain');
    expect({ code, signal }).toEqual({ code: null, signal: 'SIGTERM' });
    expect(processesWith(marker)).toEqual([]);
  });

  it("SIGTERM to a runner with its own handler: the runner's handler still runs, the groups still die", async () => {
    const { code, stdout, marker } = await runAndTerminate('own-handler');
    expect(code).toBe(7);
    expect(stdout).toContain('runner handler ran');
    expect(processesWith(marker)).toEqual([]);
  });
});
