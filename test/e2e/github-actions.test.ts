import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { RunResult } from '../../src/runner/results.js';
import { fence, makeDocs, runCli } from '../support/cli.js';

// A checkout (the workspace) with docs at its root and in a subfolder the run starts from.
const checkout = {
  'fail.md': `# Fail\n\n${fence('ts', 'const a = 1\nconst o: any = undefined\no.boom')}`,
  'sub/pass.md': `# Pass\n\n${fence('ts', 'console.log("fine")')}`,
  'sub/skip.md': `---\nskip: no key here\n---\n# Skip\n\n${fence('ts', '1')}`,
};
const boom = "TypeError: Cannot read properties of undefined (reading 'boom')";
const earlier = '## An earlier step\n\nits summary stays.\n';

function actionsEnv(workspace: string, summaryFile: string) {
  return { GITHUB_ACTIONS: 'true', GITHUB_WORKSPACE: workspace, GITHUB_STEP_SUMMARY: summaryFile };
}

function annotations(text: string): string[] {
  return text.split('\n').filter((line) => line.startsWith('::'));
}

describe('under GitHub Actions (GITHUB_ACTIONS=true)', () => {
  it('adds annotations at workspace paths beside the default reporter, and appends a step summary', async () => {
    const workspace = makeDocs(checkout);
    const summary = join(makeDocs({ 'step-summary.md': earlier }), 'step-summary.md');
    const result = await runCli(['run', '../fail.md', 'pass.md', 'skip.md', '--no-stamp'], { cwd: join(workspace, 'sub'), env: actionsEnv(workspace, summary) });
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(' FAIL  ../fail.md');
    expect(result.stdout).toContain('docs: 1 passed, 1 failed, 1 skipped');
    expect(annotations(result.stdout)).toEqual([]);
    // On stderr: GitHub reads workflow commands there too, and stdout stays the chosen reporter's.
    expect(annotations(result.stderr)).toEqual([`::error file=fail.md,line=6,col=3,title=runbook%3A block 1 failed::${boom}`]);
    expect(result.stderr).not.toContain('runbook: 1 passed');

    const text = readFileSync(summary, 'utf8');
    expect(text.startsWith(`${earlier}\n### ❌ runbook: 1 passed, 1 failed, 1 skipped\n\n3 docs in `)).toBe(true);
    expect(text).toContain('| Doc | Status | Time |\n| --- | --- | --- |\n| `fail.md` | ❌ failed | ');
    expect(text).toMatch(/\n\| `sub\/pass\.md` \| ✅ passed \| \d+ ms \|\n/);
    expect(text).toMatch(/\n\| `sub\/skip\.md` \| ⏭️ skipped: no key here \| \d+ ms \|\n/);
    expect(text).toContain(`#### Failures\n\n**\`fail.md:6:3\`** block 1 failed\n\n\`\`\`\`text\n${boom}\n\n`);
    expect(text).toContain('> 6 | o.boom');
  });

  it('keeps a json report on stdout whole, annotating on stderr', async () => {
    const workspace = makeDocs(checkout);
    const summary = join(makeDocs({}), 'step-summary.md');
    const result = await runCli(['run', 'fail.md', 'sub/pass.md', '--no-stamp', '--reporter', 'json'], { cwd: workspace, env: actionsEnv(workspace, summary) });
    expect(result.code).toBe(1);
    const report = JSON.parse(result.stdout) as RunResult;
    expect(report.docs.map((doc) => [doc.path, doc.status])).toEqual([
      ['fail.md', 'failed'],
      ['sub/pass.md', 'passed'],
    ]);
    expect(annotations(result.stderr)).toEqual([`::error file=fail.md,line=6,col=3,title=runbook%3A block 1 failed::${boom}`]);
    expect(readFileSync(summary, 'utf8')).toContain('### ❌ runbook: 1 passed, 1 failed, 0 skipped');
  });

  it('never adds a second github reporter: one chosen prints on stdout, with its summary line', async () => {
    const workspace = makeDocs(checkout);
    const summary = join(makeDocs({}), 'step-summary.md');
    const result = await runCli(['run', '../fail.md', '--no-stamp', '--reporter', 'github'], { cwd: join(workspace, 'sub'), env: actionsEnv(workspace, summary) });
    expect(result.code).toBe(1);
    expect(result.stderr).toBe('');
    expect(result.stdout.split('\n').filter(Boolean)).toEqual([
      `::error file=fail.md,line=6,col=3,title=runbook%3A block 1 failed::${boom}`,
      expect.stringMatching(/^runbook: 0 passed, 1 failed, 0 skipped \(1 docs\) in /),
    ]);
    expect(readFileSync(summary, 'utf8').match(/### ❌ runbook/g)).toHaveLength(1);
  });

  it('adds nothing when GITHUB_ACTIONS is not true', async () => {
    const workspace = makeDocs(checkout);
    const summary = join(makeDocs({ 'step-summary.md': earlier }), 'step-summary.md');
    const result = await runCli(['run', 'fail.md', '--no-stamp'], { cwd: workspace, env: { ...actionsEnv(workspace, summary), GITHUB_ACTIONS: 'false' } });
    expect(result.code).toBe(1);
    expect(annotations(result.stdout + result.stderr)).toEqual([]);
    expect(readFileSync(summary, 'utf8')).toBe(earlier);
  });

  it('a step summary that cannot be written is reported, and the run keeps its result', async () => {
    const workspace = makeDocs(checkout);
    const result = await runCli(['run', 'sub/pass.md', '--no-stamp'], { cwd: workspace, env: actionsEnv(workspace, workspace) });
    expect(result.code).toBe(0);
    expect(result.stderr).toBe(
      `runbook: could not append the step summary to GITHUB_STEP_SUMMARY (${workspace}): EISDIR: illegal operation on a directory, open '${workspace}'. The annotations and reports are complete; check the variable if you set it yourself.\n`,
    );
  });

  it('runbook check annotates type errors the same way', async () => {
    const workspace = makeDocs({ 'typed.md': `# Typed\n\n${fence('ts', "const n: number = 'one'")}` });
    const summary = join(makeDocs({}), 'step-summary.md');
    const result = await runCli(['check', 'typed.md'], { cwd: workspace, env: actionsEnv(workspace, summary) });
    expect(result.code).toBe(1);
    expect(annotations(result.stderr)).toEqual([
      "::error file=typed.md,line=4,col=7,title=runbook%3A block 1 failed::TS2322: Type 'string' is not assignable to type 'number'.",
    ]);
    expect(readFileSync(summary, 'utf8')).toContain("**`typed.md:4:7`** block 1 failed\n\n````text\nTS2322: Type 'string' is not assignable to type 'number'.");
  }, 30_000);
});
