import { mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createContainer } from '../../src/features/create-container.js';
import type { Proc } from '../../src/features/proc.js';

const dir = realpathSync(mkdtempSync(join(tmpdir(), 'runbook-proc-')));
const container = createContainer({ cwd: dir });
const proc = container.feature<Proc>('proc');

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('proc', () => {
  it('returns stdout, stderr and a non-zero exit code without throwing', async () => {
    const result = await proc.exec('node', ['-e', 'console.log("out"); console.error("err"); process.exit(3)']);
    expect(result).toEqual({ stdout: 'out', stderr: 'err', exitCode: 3, signal: null, timedOut: false });
  });

  it("runs in the doc's folder by default, and in a relative cwd", async () => {
    expect((await proc.exec('pwd')).stdout).toBe(dir);
    expect((await proc.exec('pwd', { cwd: '..' })).stdout).toBe(join(dir, '..'));
  });

  it('runs shell lines, passes env and input', async () => {
    expect(await proc.shell('echo $GREETING && exit 2', { env: { GREETING: 'hi' } })).toMatchObject({ stdout: 'hi', exitCode: 2 });
    expect((await proc.exec('cat', [], { input: 'piped' })).stdout).toBe('piped');
  });

  it('reports a timeout as a result', async () => {
    expect(await proc.exec('sleep', ['5'], { timeout: 100 })).toMatchObject({ exitCode: null, signal: 'SIGTERM', timedOut: true });
  });

  it('throws when the command cannot start, with a hint', async () => {
    await expect(proc.exec('no-such-command-xyz')).rejects.toThrow(
      "proc.exec() could not start 'no-such-command-xyz': spawn no-such-command-xyz ENOENT. Check the spelling and that it is on PATH.",
    );
    await expect(proc.exec('ls -la')).rejects.toThrow(`proc.exec() could not start 'ls -la': spawn ls -la ENOENT. To run a command line, use proc.shell("ls -la").`);
  });

  it('validates arguments and options', async () => {
    await expect(proc.exec('ls', [1] as unknown as string[])).rejects.toThrow("proc.exec('ls') needs its arguments as an array of strings, got [1].");
    await expect(proc.exec('ls', [], { timeout: -1 })).rejects.toThrow("Invalid options for proc.exec('ls'):");
    await expect(proc.shell('')).rejects.toThrow('proc.shell() needs a command line string, got "".');
  });

  it('kills commands still running when disposed, and reports them', async () => {
    const local = createContainer({ cwd: dir });
    const running = local.feature<Proc>('proc').exec('sleep', ['30']);
    await new Promise((resolve) => setTimeout(resolve, 100));
    const started = Date.now();
    const report = await local.dispose();
    expect(report.cleaned).toEqual(['1 process']);
    expect(await running).toMatchObject({ exitCode: null, signal: 'SIGKILL' });
    expect(Date.now() - started).toBeLessThan(2_000);
  });
});
