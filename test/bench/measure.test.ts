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
});
