import { spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { RunResult } from '../../src/runner/results.js';
import { parseTap } from '../runner/reporters/mini-tap.js';
import { childrenNamed, parseXml } from '../runner/reporters/mini-xml.js';
import { cliPath, fence, makeDocs, runCli } from '../support/cli.js';

const docs = {
  'pass.md': `# Pass\n\n${fence('ts', 'console.log("hi <there> & co")')}`,
  'fail.md': `# Fail\n\n${fence('ts', 'const x = 1')}\n${fence('ts', 'const o: any = undefined\no.boom')}\n${fence('ts', 'console.log("never")')}`,
  'skip.md': `---\nskip: no key here\n---\n# Skip\n\n${fence('ts', '1')}`,
};
const paths = ['pass.md', 'fail.md', 'skip.md'];
const boom = "TypeError: Cannot read properties of undefined (reading 'boom')";

describe('reporters through the CLI', () => {
  let dir = '';
  beforeAll(() => {
    dir = makeDocs(docs);
  });

  it('writes junit and tap files at once, next to pretty on stdout, creating folders', async () => {
    const result = await runCli(
      ['run', ...paths, '--no-stamp', '--reporter', 'pretty', '--reporter', 'junit', '--reporter', 'tap', '--output-file', 'junit:reports/ci/junit.xml', '--output-file', 'tap:out/run.tap'],
      { cwd: dir },
    );
    expect(result.stderr).toBe('');
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(' FAIL  fail.md');
    expect(result.stdout).toContain('docs: 1 passed, 1 failed, 1 skipped');
    expect(result.stdout).not.toContain('<?xml');
    expect(result.stdout).not.toContain('TAP version');
    expect(result.stdout).not.toContain('\x1b[2K');

    const junit = parseXml(readFileSync(join(dir, 'reports/ci/junit.xml'), 'utf8'));
    expect(junit.attrs).toMatchObject({ tests: '5', failures: '1', errors: '0', skipped: '2' });
    const suites = new Map(childrenNamed(junit, 'testsuite').map((s) => [s.attrs.name, s]));
    expect([...suites.keys()].sort()).toEqual(['fail.md', 'pass.md', 'skip.md']);
    const failCases = childrenNamed(suites.get('fail.md')!, 'testcase');
    expect(failCases.map((c) => c.attrs.name)).toEqual(['block 1 (ts, line 3)', 'block 2 (ts, line 7)', 'block 3 (ts, line 12)']);
    const [failure] = childrenNamed(failCases[1], 'failure');
    expect(failure.attrs).toEqual({ message: boom, type: 'TypeError' });
    expect(failure.text.split('\n')[0]).toBe(`fail.md:9:3: ${boom}`);
    expect(failure.text).toContain('>  9 | o.boom');
    expect(childrenNamed(failCases[2], 'skipped')[0].attrs.message).toBe('not run: an earlier block failed');
    const [passCase] = childrenNamed(suites.get('pass.md')!, 'testcase');
    expect(childrenNamed(passCase, 'system-out')[0].text).toBe('hi <there> & co\n');
    expect(childrenNamed(childrenNamed(suites.get('skip.md')!, 'testcase')[0], 'skipped')[0].attrs.message).toBe('no key here');

    const tap = parseTap(readFileSync(join(dir, 'out/run.tap'), 'utf8'));
    const points = new Map(tap.points.map((p) => [p.description, p]));
    expect(tap.plan).toEqual({ start: 1, end: 3 });
    expect(points.get('pass.md')?.ok).toBe(true);
    expect(points.get('skip.md')?.directive).toEqual({ kind: 'SKIP', reason: 'no key here' });
    const fail = points.get('fail.md')!;
    expect(fail.ok).toBe(false);
    expect(fail.subtest?.points.map((p) => [p.ok, p.directive?.kind])).toEqual([
      [true, undefined],
      [false, undefined],
      [true, 'SKIP'],
    ]);
    expect(fail.subtest?.points[1].diagnostics).toMatchObject({ message: boom, severity: 'fail', at: 'fail.md:9:3' });
  });

  it('--eval-mode none: every reporter says the docs did not run, none that they passed', async () => {
    const files = ['junit:none/junit.xml', 'tap:none/run.tap', 'json:none/run.json'].flatMap((file) => ['--output-file', file]);
    const reporters = ['pretty', 'junit', 'tap', 'json'].flatMap((name) => ['--reporter', name]);
    const result = await runCli(['run', 'pass.md', 'fail.md', '--eval-mode', 'none', ...reporters, ...files], { cwd: dir });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(' NOT RUN  pass.md no block ran: eval mode is none\n');
    expect(result.stdout).not.toContain(' PASS ');
    expect(result.stdout).toContain('\ndocs: 0 passed, 0 failed, 0 skipped, 2 not run\n');

    const report = JSON.parse(readFileSync(join(dir, 'none/run.json'), 'utf8')) as RunResult;
    expect(report).toMatchObject({ passed: 0, failed: 0, skipped: 0, notRun: 2 });
    expect(report.docs.map((doc) => [doc.path, doc.status, doc.skipReason]).sort()).toEqual([
      ['fail.md', 'not-run', 'eval mode is none'],
      ['pass.md', 'not-run', 'eval mode is none'],
    ]);

    const junit = parseXml(readFileSync(join(dir, 'none/junit.xml'), 'utf8'));
    expect(junit.attrs).toMatchObject({ tests: '4', failures: '0', skipped: '4' });
    const skips = childrenNamed(junit, 'testsuite').flatMap((suite) => childrenNamed(suite, 'testcase')).map((c) => childrenNamed(c, 'skipped')[0]?.attrs.message);
    expect(skips).toEqual(Array(4).fill('eval mode is none'));

    const tap = parseTap(readFileSync(join(dir, 'none/run.tap'), 'utf8'));
    expect(tap.points.map((p) => [p.ok, p.directive])).toEqual(Array(2).fill([true, { kind: 'SKIP', reason: 'not run: eval mode is none' }]));
    expect(tap.comments).toEqual(['docs: 0 passed, 0 failed, 0 skipped, 2 not run']);
  });

  it('sends a bare --output-file to the one file reporter', async () => {
    const result = await runCli(['run', ...paths, '--no-stamp', '--reporter', 'pretty', '--reporter', 'junit', '--output-file', 'bare/junit.xml'], { cwd: dir });
    expect(result.code).toBe(1);
    expect(parseXml(readFileSync(join(dir, 'bare/junit.xml'), 'utf8')).name).toBe('testsuites');
  });

  it('prints GitHub annotations and a summary line', async () => {
    const result = await runCli(['run', ...paths, '--no-stamp', '--reporter', 'github'], { cwd: dir });
    expect(result.code).toBe(1);
    expect(result.stdout.split('\n').filter(Boolean)).toEqual([
      `::error file=fail.md,line=9,col=3,title=runbook%3A block 2 failed::${boom}`,
      expect.stringMatching(/^runbook: 1 passed, 1 failed, 1 skipped \(3 docs\) in (\d+ ms|\d+\.\d\d s)$/),
    ]);
  });

  it('junit: a failed testcase points at the line that threw, several lines into its block', async () => {
    const prose = Array.from({ length: 24 }, (_, i) => `Line ${i + 3} of prose.\n`).join('');
    const deep = makeDocs({ 'deep.md': `# Deep\n\n${prose}\n${fence('ts', 'const a = 1\nconst b = 2\nthrow new Error(`deep at ${a + b}`)')}` });
    expect(readFileSync(join(deep, 'deep.md'), 'utf8').split('\n')[27]).toBe('```ts');
    const result = await runCli(['run', 'deep.md', '--no-stamp', '--reporter', 'junit', '--output-file', 'junit.xml'], { cwd: deep });
    expect(result.code).toBe(1);
    const [testcase] = childrenNamed(childrenNamed(parseXml(readFileSync(join(deep, 'junit.xml'), 'utf8')), 'testsuite')[0]!, 'testcase');
    expect(testcase!.attrs).toMatchObject({ name: 'block 1 (ts, line 28)', line: '31' });
    expect(childrenNamed(testcase!, 'failure')[0]!.text.split('\n')[0]).toBe('deep.md:31:7: deep at 3');
  });

  it('refuses an ambiguous --output-file before running anything', async () => {
    const result = await runCli(['run', ...paths, '--reporter', 'junit', '--reporter', 'tap', '--output-file', 'report.out'], { cwd: dir });
    expect(result).toEqual({
      code: 2,
      stdout: '',
      stderr: 'runbook: --output-file report.out is ambiguous: junit and tap both write files. Say which one: --output-file junit:report.out.\n',
    });
    expect(readFileSync(join(dir, 'pass.md'), 'utf8')).toBe(docs['pass.md']);
  });
});

describe('literate reporter in colour', () => {
  it('highlights a fence by its first word and prints no highlighter warnings', async () => {
    const dir = makeDocs({
      'fences.md': [
        '# Fences',
        fence('ts', "console.log('hello')"),
        fence('text', 'hello', 'output'),
        fence('json', '{ "a": 1 }', 'title="config"'),
        fence('mermaid', 'graph TD; A-->B'),
      ].join('\n'),
    });
    const result = await runCli(['run', 'fences.md', '--no-stamp', '--reporter', 'literate'], { cwd: dir, env: { FORCE_COLOR: '1', NO_COLOR: undefined } });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const shown = result.stdout.replace(/\x1b\[[\d;]*m/g, '');
    expect(shown).toContain('graph TD; A-->B');
    expect(shown).toContain('"a": 1');
    // json is a language the highlighter knows: its code is coloured, not printed plain.
    expect(result.stdout).not.toContain('{ "a": 1 }');
  });
});

// `script` gives the CLI a real pseudo-terminal, so stdout.isTTY is true.
const hasScript = spawnSync('script', ['--version'], { encoding: 'utf8' }).status === 0;

function runInPty(cwd: string, args: string[], env: Record<string, string | undefined>): Promise<string> {
  const childEnv: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1', ...env };
  for (const [key, value] of Object.entries(env)) if (value === undefined) delete childEnv[key];
  const command = [process.execPath, cliPath, ...args].map((arg) => `'${arg}'`).join(' ');
  return new Promise((resolve, reject) => {
    const child = spawn('script', ['-qec', command, '/dev/null'], { cwd, env: childEnv, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    child.on('error', reject);
    child.on('close', () => {
      clearTimeout(timer);
      resolve(out);
    });
  });
}

describe.skipIf(!hasScript)('progress line in a real terminal', () => {
  let dir = '';
  beforeAll(() => {
    dir = makeDocs(docs);
  });

  it('is drawn and cleared in a TTY', async () => {
    const out = await runInPty(dir, ['run', ...paths, '--no-stamp'], { CI: undefined });
    expect(out).toContain('\r\x1b[2K0/3 docs');
    expect(out).toContain(' · running: ');
    // Each doc line starts on a cleared line, and the status line is gone before the summary.
    for (const path of paths) expect(out).toMatch(new RegExp(`\\r\\x1b\\[2K (PASS|FAIL|SKIP)  ${path.replace('.', '\\.')}`));
    // Nothing is drawn between the recap of failures and skips and the summary.
    expect(out).toMatch(/\r\x1b\[2K\r?\nFailed \(1\):[^\x1b]*\r?\ndocs: 1 passed, 1 failed, 1 skipped/);
  });

  it('is not drawn when CI=true', async () => {
    const out = await runInPty(dir, ['run', ...paths, '--no-stamp'], { CI: 'true' });
    expect(out).toContain('docs: 1 passed, 1 failed, 1 skipped');
    expect(out).not.toContain('\x1b[2K');
  });
});
