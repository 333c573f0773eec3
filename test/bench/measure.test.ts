import { describe, expect, it } from 'vitest';
import { measure } from '../../bench/compare/measure.mjs';

const MiB = 1024 * 1024;

// A parent that starts a child holding 80 MiB of touched memory for half a second.
const parent = `
const { spawnSync } = require('node:child_process');
const child = "const b = Buffer.alloc(80 * 1024 * 1024, 1); setTimeout(() => console.log(b[0]), 500)";
const run = spawnSync(process.execPath, ['-e', child], { stdio: 'inherit' });
process.exit(run.status);
`;

describe('measuring a command', () => {
  it("charges the peak RSS of the whole process tree, and tells the root's own apart", async () => {
    const result = await measure(process.execPath, ['-e', parent]);
    expect(result.code).toBe(0);
    expect(result.stdout.trim()).toBe('1');
    expect(result.processes).toBe(2);
    expect(result.rootPeakRss).toBeLessThan(80 * MiB);
    expect(result.peakRss).toBeGreaterThan(result.rootPeakRss + 80 * MiB);
    expect(result.wallMs).toBeGreaterThanOrEqual(500);
  });

  it('also keeps the tree’s largest PSS: the child’s own memory in full, the pages both share (Node’s binary) once', async () => {
    const result = await measure(process.execPath, ['-e', parent]);
    expect(result.code).toBe(0);
    expect(result.peakPss).toBeGreaterThan(80 * MiB);
    // Two Node processes share most of Node's binary: PSS counts it once, summed RSS twice.
    expect(result.peakPss).toBeLessThan(result.peakRss - 10 * MiB);
  });

  it('polls less often and without PSS when told to, and still sees the tree’s peak', async () => {
    const result = await measure(process.execPath, ['-e', parent], { pollMs: 50, pss: false });
    expect(result.code).toBe(0);
    expect(result.peakPss).toBe(0);
    expect(result.processes).toBe(2);
    expect(result.peakRss).toBeGreaterThan(result.rootPeakRss + 80 * MiB);
  });

  // runbook's supervisor exits without waiting for its executors' exit, so their
  // CPU never reaches the kernel's count of waited-for children.
  it('counts the CPU of a descendant nobody waited for', async () => {
    const burner = "while (process.cpuUsage().user < 400e3) {} console.log('burnt'); setInterval(() => {}, 1000)";
    const parent = `
      const child = require('node:child_process').spawn(process.execPath, ['-e', ${JSON.stringify(burner)}], { stdio: ['ignore', 'pipe', 'ignore'] });
      child.stdout.once('data', () => { process.kill(child.pid, 'SIGKILL'); process.exit(0); });
    `;
    const result = await measure(process.execPath, ['-e', parent]);
    expect(result.code).toBe(0);
    expect(result.processes).toBe(2);
    expect(result.cpuMs).toBeGreaterThanOrEqual(350);
  });
});
