import { execFileSync, spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { cliPath, fence, makeDocs } from '../support/cli.js';

function table(): { pid: number; ppid: number; args: string }[] {
  return execFileSync('ps', ['-eo', 'pid=,ppid=,args='], { encoding: 'utf8' })
    .split('\n')
    .map((line) => /^\s*(\d+)\s+(\d+)\s+(.*)$/.exec(line))
    .filter((match): match is RegExpExecArray => match !== null)
    .map((match) => ({ pid: Number(match[1]), ppid: Number(match[2]), args: match[3]! }));
}

async function until(check: () => boolean, ms: number): Promise<boolean> {
  for (const deadline = Date.now() + ms; Date.now() < deadline; await new Promise((r) => setTimeout(r, 100))) if (check()) return true;
  return check();
}

// If the runner itself is killed outright (no chance to clean up), its executors
// must notice, clean up their docs and exit: nothing may keep running, or spin.
describe('a runner killed with SIGKILL', () => {
  it('leaves no executor and no process of its docs behind', async () => {
    const marker = `orphan-check-${process.pid}-${Date.now()}`;
    const doc = (n: number) =>
      fence('ts', `const pm = container.feature('processManager')\npm.spawn('sh', ['-c', 'sleep 300 # ${marker}-${n}'])\n// Writes straight to the executor's stdout, which dies with the runner.\nsetInterval(() => process.stdout.write('tick\\n'), 20)\nawait new Promise(() => {})`, 'timeout=60000');
    const dir = makeDocs({ 'one.md': doc(1), 'two.md': doc(2) });
    const cli = spawn(process.execPath, [cliPath, 'run', 'one.md', 'two.md', '--jobs', '2', '--no-stamp'], { cwd: dir, stdio: 'ignore' });
    const sleepers = () => table().filter((row) => row.args.includes(marker) && !row.args.includes('runbook.js'));
    expect(await until(() => sleepers().length >= 2, 15_000)).toBe(true);
    const executors = table().filter((row) => row.ppid === cli.pid && row.args.includes('executor.cjs'));
    expect(executors).toHaveLength(2);

    cli.kill('SIGKILL');
    const alive = () => table().filter((row) => executors.some((executor) => executor.pid === row.pid) || row.args.includes(marker));
    expect(await until(() => alive().length === 0, 10_000), JSON.stringify(alive())).toBe(true);
  });

  it('leaves no executor spinning in a block that never gives control back', async () => {
    // Such an executor cannot notice that the runner is gone: its guard stops it (src/runner/executor-guard.ts).
    const dir = makeDocs({ 'spin.md': fence('ts', 'while (true) {}', 'timeout=600000') });
    const cli = spawn(process.execPath, [cliPath, 'run', 'spin.md', '--no-stamp', '--timeout', '600000'], { cwd: dir, stdio: 'ignore' });
    const executors = () => table().filter((row) => row.ppid === cli.pid && row.args.includes('executor.cjs'));
    const guards = () => table().filter((row) => row.args.includes('runbook-executor-guard'));
    expect(await until(() => executors().length === 1, 15_000)).toBe(true);
    const [executor] = executors();
    const cpuSeconds = () => Number(execFileSync('ps', ['-o', 'times=', '-p', String(executor!.pid)], { encoding: 'utf8' }).trim() || 0);
    expect(await until(() => cpuSeconds() >= 1, 15_000)).toBe(true); // spinning in the block
    expect(await until(() => guards().length === 1, 5_000)).toBe(true); // a run that lasts a second gets one

    cli.kill('SIGKILL');
    const alive = () => table().filter((row) => row.pid === executor!.pid || row.args.includes('runbook-executor-guard'));
    expect(await until(() => alive().length === 0, 10_000), JSON.stringify(alive())).toBe(true);
  });
});
