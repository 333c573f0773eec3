import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { spawnSync } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';

const repo = fileURLToPath(new URL('../..', import.meta.url));
const cli = join(repo, 'bin/runbook.js');
const scratch = mkdtempSync(join(tmpdir(), 'runbook-examples-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

// The docs in docs/examples are the user-facing proof that runbook works:
// run copies of them through the real CLI, offline, and check every one passed and was stamped.
describe('docs/examples', () => {
  it('all pass through the CLI, offline, and are stamped as passed', () => {
    const copy = join(scratch, 'examples');
    cpSync(join(repo, 'docs/examples'), copy, { recursive: true });
    const docs = readdirSync(copy).filter((name) => name.endsWith('.md')).sort();
    expect(docs.length).toBeGreaterThanOrEqual(3);
    const report = join(scratch, 'examples.json');
    const env = { ...process.env, NO_COLOR: '1', CI: 'true', OPENAI_API_KEY: '' };
    const run = spawnSync(process.execPath, [cli, 'run', ...docs, '--reporter', 'pretty', '--reporter', 'json', '--output-file', report], { cwd: copy, env, encoding: 'utf8' });
    expect(run.stdout + run.stderr).toContain(`docs: ${docs.length} passed, 0 failed, 0 skipped`);
    expect(run.status).toBe(0);
    const result = JSON.parse(readFileSync(report, 'utf8')) as { docs: { path: string; status: string }[] };
    expect(result.docs.map((doc) => doc.path).sort()).toEqual(docs);
    for (const doc of docs) expect(readFileSync(join(copy, doc), 'utf8')).toMatch(/\nlastTestPassed: true\r?\n/);
  });
});

describe('docs/examples type-check', () => {
  it('every example passes runbook check', { timeout: 120_000 }, () => {
    const docs = readdirSync(join(repo, 'docs/examples')).filter((name) => name.endsWith('.md')).map((name) => `docs/examples/${name}`);
    const check = spawnSync(process.execPath, [cli, 'check', ...docs], { cwd: repo, env: { ...process.env, NO_COLOR: '1' }, encoding: 'utf8' });
    expect(check.stdout + check.stderr).toContain(`docs: ${docs.length} passed, 0 failed, 0 skipped`);
    expect(check.status).toBe(0);
  });
});

describe('runbooks/', () => {
  it('the fresh-install smoke test passes', { timeout: 240_000 }, () => {
    const run = spawnSync(process.execPath, [cli, 'run', 'runbooks/fresh-install-smoke-test.md', '--no-stamp', '--reporter', 'pretty'], {
      cwd: repo,
      env: { ...process.env, NO_COLOR: '1' },
      encoding: 'utf8',
    });
    expect(run.stdout).toContain('docs: 1 passed, 0 failed, 0 skipped');
    expect(run.status).toBe(0);
  });
});
