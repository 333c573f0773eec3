import { copyFileSync, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeDocs, runCli } from '../support/cli.js';
import { seedDir } from '../support/seed.js';

const seedDoc = join(seedDir(), 'websocket-ask-and-reply-example.md');

// In CI the seed is always beside the checkout: missing there is a failure, not a skip.
describe.skipIf(!existsSync(seedDoc) && !process.env.CI)('the seed websocket doc, unmodified', () => {
  it('passes through the real CLI, is stamped as passed, and leaves nothing to clean up', { timeout: 60_000 }, async () => {
    const dir = makeDocs({});
    const name = 'websocket-ask-and-reply-example.md';
    copyFileSync(seedDoc, join(dir, name));
    const original = readFileSync(join(dir, name), 'utf8');

    const result = await runCli(['run', name, '--reporter', 'pretty'], { cwd: dir, timeoutMs: 30_000 });

    expect(result.stdout).toContain('docs: 1 passed, 0 failed, 0 skipped');
    expect(result.stdout).not.toContain('cleaned up');
    expect(result.code).toBe(0);
    const stamped = readFileSync(join(dir, name), 'utf8');
    expect(stamped).toMatch(/\nlastTestPassed: true\r?\n/);
    expect(stamped).toMatch(/\nlastTested: \d{4}-\d\d-\d\dT[\d:.]+Z\r?\n/);
    // Only the two stamp values changed.
    const unstamp = (text: string) => text.replace(/^lastTested: .*$/m, '').replace(/^lastTestPassed: .*$/m, '');
    expect(unstamp(stamped)).toBe(unstamp(original));
  });

  it('shows what each block printed in the literate reporter', { timeout: 60_000 }, async () => {
    const dir = makeDocs({});
    const name = 'websocket-ask-and-reply-example.md';
    copyFileSync(seedDoc, join(dir, name));
    const result = await runCli(['run', name, '--reporter', 'literate', '--no-stamp'], { cwd: dir, timeoutMs: 30_000 });
    expect(result.code).toBe(0);
    for (const line of [
      '3 + 4 = 7',
      '10 / 3 = 3.33',
      "Caught error: ask('divide') was answered with an error by the server: division by zero",
      'Client identified as: luca-client 1.0',
      "Timed out as expected: ask('noop') timed out after 500 ms",
      'Regular message received: ping — no requestId: true',
      'Done',
    ]) {
      expect(result.stdout).toContain(line);
    }
  });
});
