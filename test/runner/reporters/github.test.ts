import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { escapeData, escapeProperty, GithubReporter, workflowCommand, workspacePath } from '../../../src/runner/reporters/github.js';
import { stepSummary } from '../../../src/runner/reporters/step-summary.js';
import { syntheticRun } from './synthetic-run.js';

function capture() {
  const chunks: string[] = [];
  const out = { write: (chunk: string) => chunks.push(chunk) > 0 } as unknown as NodeJS.WritableStream;
  return { out, lines: () => chunks.join('').split('\n') };
}

describe('workflow command escaping', () => {
  it.each([
    ['plain', 'plain', 'plain'],
    ['100%', '100%25', '100%25'],
    ['a\nb\r\nc', 'a%0Ab%0D%0Ac', 'a%0Ab%0D%0Ac'],
    ['x:1,y', 'x:1,y', 'x%3A1%2Cy'],
    ['%0A literal', '%250A literal', '%250A literal'],
  ])('%j', (input, data, property) => {
    expect(escapeData(input)).toBe(data);
    expect(escapeProperty(input)).toBe(property);
  });

  it('leaves out absent properties', () => {
    expect(workflowCommand('error', { file: 'a.md', line: undefined, title: '' }, 'boom')).toBe('::error file=a.md::boom');
    expect(workflowCommand('notice', {}, 'hi')).toBe('::notice::hi');
  });
});

describe('github reporter', () => {
  it('prints an ::error per failure, a ::warning per cleanup note, and a summary line', () => {
    const { out, lines } = capture();
    const reporter = new GithubReporter({ out, env: {} });
    const run = syntheticRun();
    for (const doc of run.docs) reporter.onDocEnd(doc);
    reporter.onRunEnd(run);
    const odd = 'docs/issue #4%2C 100%25%3A odd\\name.md';
    expect(lines()).toEqual([
      "::error file=docs/fail.md,line=9,col=3,title=runbook%3A block 2 failed::TypeError: Cannot read properties of undefined (reading 'y')",
      '::warning file=docs/fail.md,title=runbook%3A cleaned up after the doc::cleaned up: 1 server, 1 interval',
      '::warning file=docs/fail.md,title=runbook%3A warning::cleanup of server failed: EPERM, at 50%25',
      `::error file=${odd},line=9,col=1,title=runbook%3A block 1 failed::Output does not match the output block%0A%0A- expected 1%0A+ actual 2`,
      `::error file=${odd},line=12,col=1,title=runbook%3A block 2 timed out::Timed out after 30000 ms.`,
      '::error file=docs/broken.md,line=2,col=1,title=runbook%3A doc failed::Invalid frontmatter: bad indentation%0Aat line 2',
      'runbook: 1 passed, 3 failed, 1 skipped (5 docs) in 4.32 s',
      '',
    ]);
  });

  it('falls back to the fence line, and to a bare doc error, when there is no location', () => {
    const { out, lines } = capture();
    const reporter = new GithubReporter({ out, env: {} });
    const base = { title: 'x', tags: [], durationMs: 1, cleanedUp: [], stamped: false, warnings: [] };
    const timedOut = { message: 'Timed out after 5 ms.' };
    reporter.onDocEnd({ ...base, path: 'a.md', status: 'failed', blocks: [{ index: 1, number: 1, lang: 'ts', line: 4, status: 'timed-out', durationMs: 5, stdout: '', stderr: '', error: timedOut }] });
    reporter.onDocEnd({ ...base, path: 'b.md', status: 'failed', blocks: [] });
    expect(lines()).toEqual(['::error file=a.md,line=4,title=runbook%3A block 1 timed out::Timed out after 5 ms.', '::error file=b.md,title=runbook%3A doc failed::doc failed', '']);
  });

  it('annotates the TypeScript file an error is in, when it is not the doc', () => {
    const { out, lines } = capture();
    const reporter = new GithubReporter({ out, env: {} });
    const base = { title: 'x', tags: [], durationMs: 1, cleanedUp: [], stamped: false, warnings: [] };
    const error = { message: 'boom in helper', location: 'docs/helper.ts:13:9', file: 'docs/helper.ts', line: 13, column: 9 };
    reporter.onDocEnd({ ...base, path: 'docs/a.md', status: 'failed', blocks: [{ index: 0, number: 1, lang: 'ts', line: 4, status: 'failed', durationMs: 5, stdout: '', stderr: '', error }] });
    expect(lines()).toEqual(['::error file=docs/helper.ts,line=13,col=9,title=runbook%3A block 1 failed::boom in helper', '']);
  });
});

describe('workspacePath', () => {
  it.each([
    ['no workspace: as given', '../hang.md', undefined, '/repo/sub', '../hang.md'],
    ['relative to the workspace, from a subfolder', '../hang.md', '/repo', '/repo/sub', 'hang.md'],
    ['deeper', 'docs/a.md', '/repo', '/repo/pkg', 'pkg/docs/a.md'],
    ['an absolute path inside', '/repo/docs/a.md', '/repo', '/elsewhere', 'docs/a.md'],
    ['outside the workspace: as given', '../../other/a.md', '/repo', '/repo/sub', '../../other/a.md'],
    ['a workspace with a trailing slash', 'a.md', '/repo/', '/repo', 'a.md'],
  ])('%s', (_name, path, workspace, cwd, expected) => {
    expect(workspacePath(path, workspace, cwd)).toBe(expected);
  });
});

describe('github reporter under GitHub Actions', () => {
  let dir = '';
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('annotates paths relative to GITHUB_WORKSPACE', () => {
    const { out, lines } = capture();
    const workspace = join(process.cwd(), '..');
    const reporter = new GithubReporter({ out, env: { GITHUB_WORKSPACE: workspace } });
    reporter.onDocEnd(syntheticRun().docs[1]!);
    const shown = join(process.cwd().slice(workspace.length + 1), 'docs/fail.md');
    expect(lines()[0]).toBe(`::error file=${shown},line=9,col=3,title=runbook%3A block 2 failed::TypeError: Cannot read properties of undefined (reading 'y')`);
  });

  it('appends the Markdown summary to GITHUB_STEP_SUMMARY, keeping what was there, and can leave out its summary line', () => {
    dir = mkdtempSync(join(tmpdir(), 'runbook-github-'));
    const file = join(dir, 'summary.md');
    writeFileSync(file, '## An earlier step\n');
    const { out, lines } = capture();
    const reporter = new GithubReporter({ out, env: { GITHUB_STEP_SUMMARY: file }, summaryLine: false });
    reporter.onRunEnd(syntheticRun());
    reporter.onRunEnd(syntheticRun());
    expect(readFileSync(file, 'utf8')).toBe(`## An earlier step\n\n${stepSummary(syntheticRun())}\n${stepSummary(syntheticRun())}`);
    expect(lines()).toEqual(['']);
  });

  it('says so on stderr when the summary cannot be written, and goes on', () => {
    dir = mkdtempSync(join(tmpdir(), 'runbook-github-'));
    const { out, lines } = capture();
    const err = capture();
    const reporter = new GithubReporter({ out, err: err.out, env: { GITHUB_STEP_SUMMARY: dir } });
    reporter.onRunEnd(syntheticRun());
    expect(lines()).toEqual(['runbook: 1 passed, 3 failed, 1 skipped (5 docs) in 4.32 s', '']);
    expect(err.lines()).toEqual([
      `runbook: could not append the step summary to GITHUB_STEP_SUMMARY (${dir}): EISDIR: illegal operation on a directory, open '${dir}'. The annotations and reports are complete; check the variable if you set it yourself.`,
      '',
    ]);
  });
});
