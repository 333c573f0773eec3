import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { BlockResult, RunResult } from '../../src/runner/results.js';
import { docResult, fence, makeDocs, runCli, runJson, type CliResult } from '../support/cli.js';

type JsonRun = CliResult & { report: RunResult };

const pass = fence('ts', "console.log('ok')");
const fail = fence('ts', "throw new Error('this doc fails')");

// What a test looks at in a block: status, why, value, stdout, error message and location.
function blocks(report: RunResult, path: string) {
  return docResult(report, path).blocks.map((b: BlockResult) => {
    const out: Record<string, unknown> = { status: b.status, line: b.line };
    if (b.reason) out.reason = b.reason;
    if (b.value !== undefined) out.value = b.value;
    if (b.stdout) out.stdout = b.stdout;
    if (b.error) out.error = `${b.error.location} ${b.error.message}`;
    return out;
  });
}

const timeoutMessage = (ms: number) => `Timed out after ${ms} ms. Raise it with the fence token timeout=MS, frontmatter timeout, or --timeout.`;

// One CLI run covers the fence tokens, frontmatter controls, shell fences, faults and --env-file.
const matrix: Record<string, string> = {
  'tokens.md': [
    '# Tokens',
    fence('ts', "throw new Error('skipped block must not run')", 'skip'),
    fence('ts', 'const hidden = { secret: 1 }\nhidden', 'silent'),
    fence('ts', 'const shown = { visible: 2 }\nshown'),
    fence('ts', 'null!.x', 'throws'),
    fence('ts', "throw new Error('a bad input here')", 'throws="bad input"'),
    fence('ts', "await new Promise((r) => setTimeout(r, 20))\n'fast enough'", 'timeout=2000'),
    fence('ts', "throw 'a string'", "throws='a str'"),
  ].join('\n'),
  'throws-but-did-not.md': [fence('ts', 'const fine = 1', 'throws'), fence('ts', "console.log('cleanup ran')", 'always'), fence('ts', "console.log('not run')")].join('\n'),
  'throws-other-text.md': fence('ts', "throw new Error('other text')", 'throws="expected text"'),
  'throws-syntax.md': fence('ts', 'const = 1', 'throws'),
  'timeout-token.md': [fence('ts', 'await new Promise((r) => setTimeout(r, 5000))', 'timeout=100'), fence('ts', "console.log('after timeout')", 'always')].join('\n'),
  'timeout-spin.md': fence('ts', 'while (true) {}', 'timeout=100'),
  'timeout-spin-async.md': fence('ts', 'await 0\nwhile (true) {}', 'timeout=100'),
  'fm-timeout.md': `---\ntimeout: 100\n---\n${fence('ts', 'await new Promise((r) => setTimeout(r, 5000))')}`,
  'fm-timeout-token-wins.md': `---\ntimeout: 100\n---\n${fence('ts', "await new Promise((r) => setTimeout(r, 300))\n'waited'", 'timeout=3000')}`,
  'fm-optin.md': `---\nevalMode: optIn\n---\n${fence('ts', "throw new Error('not opted in')")}\n${fence('ts', "console.log('opted in')", 'eval')}`,
  'fm-none.md': `---\nevalMode: none\n---\n${fail}`,
  'fm-bad-evalmode.md': `---\nevalMode: sometimes\n---\n${pass}`,
  'fm-skip.md': `---\nskip: waiting for the API\n---\n${fail}`,
  'fm-requires.md': `---\nrequires:\n  env: [RB_TEST_FROM_FILE, RB_TEST_MISSING_ONE]\n---\n${fail}`,
  'env-file.md': `---\nrequires:\n  env: [RB_TEST_FROM_FILE]\n---\n${fence('ts', 'console.log(process.env.RB_TEST_FROM_FILE, process.env.RB_TEST_QUOTED)')}`,
  'shell.md': [
    fence('sh', 'echo not run'),
    fence('sh', 'echo "from sh $RB_TEST_FROM_FILE in $(basename "$PWD")"', 'eval'),
    fence('bash', 'echo to-stderr >&2\nexit 3', 'eval'),
  ].join('\n'),
  'shell-frontmatter.md': `---\nshell: true\n---\n${fence('sh', 'echo shell true')}\n${fence('bash', 'false')}`,
  'exit.md': fence('ts', 'process.exit(3)'),
  'chdir.md': fence('ts', "process.chdir('/')\nconsole.log(process.cwd())"),
  'late-throw.md': [fence('ts', "setTimeout(() => { throw new Error('late boom') }, 10)", 'silent'), fence('ts', "await new Promise((r) => setTimeout(r, 200))\nconsole.log('never')")].join('\n'),
  'late-throw-last.md': fence('ts', "setTimeout(() => { throw new Error('late after last') }, 0)", 'silent'),
  'late-io-last.md': fence('ts', "import { readFile } from 'node:fs'\nreadFile('/no/such/file', () => { throw new Error('late from a read') })", 'silent'),
  'late-immediate-last.md': fence('ts', "setImmediate(() => { throw new Error('late from an immediate') })", 'silent'),
  'late-print-last.md': `${fence('ts', "console.log('first')")}\n${fence('ts', "setTimeout(() => { console.log('late out'); console.error('late err') }, 0)")}`,
  'zz-after-faults.md': pass,
};

describe('runbook run: fence tokens, frontmatter, shell, faults', () => {
  let run: JsonRun;

  beforeAll(async () => {
    const dir = makeDocs({ ...matrix, '.env.test': 'RB_TEST_FROM_FILE=yes\nRB_TEST_QUOTED="two words"\n' });
    run = await runJson(dir, Object.keys(matrix), ['--no-stamp', '--env-file', '.env.test'], {
      env: { RB_TEST_FROM_FILE: undefined, RB_TEST_MISSING_ONE: undefined, RB_TEST_QUOTED: undefined },
    });
  }, 60_000);

  it('exits 1 and reports every doc, in order', () => {
    expect(run.code).toBe(1);
    expect(run.report.docs.map((d) => d.path)).toEqual(Object.keys(matrix).sort());
  });

  it('skip, silent, throws, throws="text", timeout=MS', () => {
    expect(docResult(run.report, 'tokens.md').status).toBe('passed');
    expect(blocks(run.report, 'tokens.md')).toEqual([
      { status: 'skipped', line: 2, reason: 'fence says skip' },
      { status: 'passed', line: 6 },
      { status: 'passed', line: 11, value: '{ visible: 2 }' },
      { status: 'passed', line: 16, value: "threw as expected: Cannot read properties of null (reading 'x')" },
      { status: 'passed', line: 20, value: 'threw as expected: a bad input here' },
      { status: 'passed', line: 24, value: "'fast enough'" },
      { status: 'passed', line: 29, value: 'threw as expected: a string' },
    ]);
  });

  it('throws on a block that does not throw fails it; always still runs; the rest is not run', () => {
    expect(blocks(run.report, 'throws-but-did-not.md')).toEqual([
      { status: 'failed', line: 1, error: "throws-but-did-not.md:2:1 The fence says 'throws' but the block completed without throwing." },
      { status: 'passed', line: 5, stdout: 'cleanup ran\n' },
      { status: 'not-run', line: 9, reason: 'an earlier block failed' },
    ]);
  });

  it('throws="text" with another message fails and says both', () => {
    expect(blocks(run.report, 'throws-other-text.md')).toEqual([
      { status: 'failed', line: 1, error: 'throws-other-text.md:2:7 The fence says throws="expected text" but the error was: other text' },
    ]);
  });

  it('a syntax error does not count as the expected throw', () => {
    expect(blocks(run.report, 'throws-syntax.md')).toEqual([{ status: 'failed', line: 1, error: 'throws-syntax.md:2:7 Expected identifier but found "="' }]);
  });

  it('timeout=MS interrupts waiting and spinning blocks, sync and async', () => {
    expect(blocks(run.report, 'timeout-token.md')).toEqual([
      { status: 'timed-out', line: 1, error: `timeout-token.md:2:1 ${timeoutMessage(100)}` },
      { status: 'passed', line: 5, stdout: 'after timeout\n' },
    ]);
    expect(blocks(run.report, 'timeout-spin.md')).toEqual([{ status: 'timed-out', line: 1, error: `timeout-spin.md:2:1 ${timeoutMessage(100)} (The block never gave control back, so the process running it was stopped.)` }]);
    expect(blocks(run.report, 'timeout-spin-async.md')).toEqual([{ status: 'timed-out', line: 1, error: `timeout-spin-async.md:2:1 ${timeoutMessage(100)} (The block never gave control back, so the process running it was stopped.)` }]);
  });

  it('frontmatter timeout applies; a fence token overrides it', () => {
    expect(blocks(run.report, 'fm-timeout.md')).toEqual([{ status: 'timed-out', line: 4, error: `fm-timeout.md:5:1 ${timeoutMessage(100)}` }]);
    expect(blocks(run.report, 'fm-timeout-token-wins.md')).toEqual([{ status: 'passed', line: 4, value: "'waited'" }]);
  });

  it('frontmatter evalMode optIn and none', () => {
    expect(blocks(run.report, 'fm-optin.md')).toEqual([
      { status: 'skipped', line: 4, reason: "eval mode is optIn and the fence has no 'eval'" },
      { status: 'passed', line: 8, stdout: 'opted in\n' },
    ]);
    expect(docResult(run.report, 'fm-none.md')).toMatchObject({ status: 'not-run', skipReason: 'eval mode is none' });
    expect(blocks(run.report, 'fm-none.md')).toEqual([{ status: 'skipped', line: 4, reason: 'eval mode is none' }]);
  });

  it('an unknown frontmatter evalMode fails the doc saying what is allowed', () => {
    const doc = docResult(run.report, 'fm-bad-evalmode.md');
    expect(doc.status).toBe('failed');
    expect(doc.error?.message).toBe('fm-bad-evalmode.md: frontmatter evalMode is "sometimes"; use one of all, optIn, none.');
  });

  it('frontmatter skip and requires.env skip the doc with the reason', () => {
    expect(docResult(run.report, 'fm-skip.md')).toMatchObject({ status: 'skipped', skipReason: 'waiting for the API', blocks: [] });
    expect(docResult(run.report, 'fm-requires.md')).toMatchObject({
      status: 'skipped',
      skipReason: 'requires environment variable RB_TEST_MISSING_ONE (not set)',
      blocks: [],
    });
  });

  it('--env-file provides variables to requires.env, process.env and shell blocks', () => {
    expect(blocks(run.report, 'env-file.md')).toEqual([{ status: 'passed', line: 5, stdout: 'yes two words\n' }]);
  });

  it('shell fences run only with eval or shell: true; a non-zero exit fails', () => {
    // The shell runs in the doc's folder (a temp folder named runbook-e2e-…).
    const shown = blocks(run.report, 'shell.md').map((b) => (typeof b.stdout === 'string' ? { ...b, stdout: b.stdout.replace(/ in runbook-e2e-\w+/, ' in DIR') } : b));
    expect(shown).toEqual([
      { status: 'skipped', line: 1, reason: "shell blocks run only with the fence token 'eval' or frontmatter shell: true" },
      { status: 'passed', line: 5, stdout: 'from sh yes in DIR\n' },
      { status: 'failed', line: 9, error: 'shell.md:10:1 The bash block exited with code 3.\nstderr:\nto-stderr' },
    ]);
    expect(blocks(run.report, 'shell-frontmatter.md')).toEqual([
      { status: 'passed', line: 4, stdout: 'shell true\n' },
      { status: 'failed', line: 8, error: 'shell-frontmatter.md:9:1 The bash block exited with code 1.' },
    ]);
  });

  it('process.exit() fails the doc with a clear message, process.chdir() works inside the doc; the run goes on', () => {
    expect(blocks(run.report, 'exit.md')).toEqual([
      { status: 'failed', line: 1, error: 'exit.md:2:9 The doc called process.exit(3): a doc cannot end the process that runs it. Throw an error to fail the doc instead.' },
    ]);
    expect(docResult(run.report, 'chdir.md')).toMatchObject({ status: 'passed', blocks: [{ status: 'passed', stdout: '/\n' }] });
    expect(docResult(run.report, 'zz-after-faults.md')).toMatchObject({ status: 'passed', blocks: [{ status: 'passed', stdout: 'ok\n' }] });
  });

  it('a late throw from a setTimeout fails the doc, pointing at the throw', () => {
    const doc = docResult(run.report, 'late-throw.md');
    expect(doc.status).toBe('failed');
    expect(blocks(run.report, 'late-throw.md')).toEqual([
      { status: 'passed', line: 1 },
      { status: 'failed', line: 5, error: 'late-throw.md:2:26 uncaught exception: late boom' },
    ]);
  });

  it('a late throw from a 0 ms timer set by the last block fails the doc', () => {
    const doc = docResult(run.report, 'late-throw-last.md');
    expect(doc.status).toBe('failed');
    expect(`${doc.error?.location} ${doc.error?.message}`).toBe('late-throw-last.md:2:26 uncaught exception after the last block: late after last');
  });

  // The executor gives a timer's turn only to a doc that left something pending (a timer, a request, a handle).
  it('a late throw from a file read the last block started fails the doc', () => {
    const doc = docResult(run.report, 'late-io-last.md');
    expect(doc.status).toBe('failed');
    expect(`${doc.error?.location} ${doc.error?.message}`).toBe('late-io-last.md:3:41 uncaught exception after the last block: late from a read');
  });

  // Marked as the block's by the executor, and read up to its mark before the doc's result is made.
  it("what a callback of the last block prints after the block ended is the block's output", () => {
    expect(docResult(run.report, 'late-print-last.md')).toMatchObject({
      status: 'passed',
      blocks: [
        { status: 'passed', stdout: 'first\n', stderr: '' },
        { status: 'passed', stdout: 'late out\n', stderr: 'late err\n' },
      ],
    });
  });

  it('a late throw from an immediate the last block set fails the doc, and leaves nothing to clean up', () => {
    const doc = docResult(run.report, 'late-immediate-last.md');
    expect(`${doc.error?.location} ${doc.error?.message}`).toBe('late-immediate-last.md:2:28 uncaught exception after the last block: late from an immediate');
    expect(doc.cleanedUp).toEqual([]);
  });
});

describe('runbook run: expected output and --update', () => {
  const doc = [
    '# Output',
    '',
    fence('ts', "console.log('hello')\nconsole.log('world')"),
    fence('text', 'hello\nworld', 'output'),
    '1. In a list:',
    '',
    '   ```ts',
    "   console.log('actual line')",
    '   ```',
    '',
    '   ```text output',
    '   expected line',
    '   ```',
    '',
    'The end.',
    '',
  ].join('\n');
  let check: JsonRun;
  let update: JsonRun;
  let again: JsonRun;
  let updateDir: string;

  beforeAll(async () => {
    const checkDir = makeDocs({ 'out.md': doc });
    updateDir = makeDocs({ 'out.md': doc });
    [check, update] = await Promise.all([runJson(checkDir, ['out.md'], ['--no-stamp']), runJson(updateDir, ['out.md'], ['--no-stamp', '--update'])]);
    again = await runJson(updateDir, ['out.md'], ['--no-stamp']);
  }, 60_000);

  it('a mismatch fails the block with a diff, pointing at the output fence', () => {
    expect(check.code).toBe(1);
    const [first, second] = docResult(check.report, 'out.md').blocks;
    expect(first).toMatchObject({ status: 'passed', stdout: 'hello\nworld\n' });
    expect(second!.status).toBe('failed');
    expect(second!.error?.message).toBe('Output differs from the expected output (run with --update to accept the new output).');
    expect(second!.error?.location).toBe('out.md:20:4');
    expect(second!.error?.diff).toBe('--- expected (output fence)\n+++ actual (stdout)\n@@ -1,1 +1,1 @@\n-expected line\n+actual line');
  });

  it('--update rewrites only the fence content, in place', () => {
    expect(update.code).toBe(0);
    expect(readFileSync(join(updateDir, 'out.md'), 'utf8')).toBe(doc.replace('   expected line\n', '   actual line\n'));
  });

  it('--update on a CRLF doc keeps CRLF; the stamp lands in the same write', async () => {
    const before = '---\r\ntitle: U\r\n---\r\n```ts\r\nconsole.log("new")\r\n```\r\n\r\n```text output\r\nold\r\nlines\r\n```\r\nTail.\r\n';
    const crlfDir = makeDocs({ 'crlf.md': before });
    const result = await runJson(crlfDir, ['crlf.md'], ['--update']);
    expect(result.code).toBe(0);
    const after = readFileSync(join(crlfDir, 'crlf.md'), 'utf8');
    const stamp = /lastTested: (\S+)\r\n/.exec(after)?.[1];
    expect(after).toBe(before.replace('title: U\r\n', `title: U\r\nlastTested: ${stamp}\r\nlastTestPassed: true\r\n`).replace('old\r\nlines\r\n', 'new\r\n'));
  });

  it('the updated doc then passes', () => {
    expect(again.code).toBe(0);
    expect(again.report.passed).toBe(1);
  });
});

describe('runbook run: reporters, selection, --bail, exit codes', () => {
  const sectionsDoc = [
    '# Doc',
    '## Setup',
    fence('ts', "console.log('setup')"),
    '## Build',
    fence('ts', "console.log('build')"),
    '### Inner',
    fence('ts', "console.log('inner')"),
    '## Other',
    fence('ts', "throw new Error('other must not run')"),
    fence('ts', "console.log('cleanup')", 'always'),
  ].join('\n');
  const literateDoc = [
    '---',
    'title: Lit',
    '---',
    '# Literate doc',
    '',
    'Some **prose** here.',
    '',
    fence('ts', "const answer = 6 * 7\nconsole.log('printed', answer)\nanswer"),
    fence('ts', '({ hidden: true })', 'silent'),
    'Closing words.',
    '',
  ].join('\n');

  let dir: string;
  let pretty: CliResult;
  let literate: CliResult;
  let bail: JsonRun;
  let none: JsonRun;
  let sections: JsonRun;
  let optIn: JsonRun;
  let cliTimeout: JsonRun;
  let jsonStdout: CliResult;
  let allPass: CliResult;

  beforeAll(async () => {
    dir = makeDocs({
      'a-pass.md': pass,
      'b-fail.md': `# Fails\n\n${fail}`,
      'c-skip.md': `---\nskip: later\n---\n${fail}`,
      'sections.md': sectionsDoc,
      'lit.md': literateDoc,
      'slow.md': fence('ts', 'await new Promise((r) => setTimeout(r, 3000))'),
      'bail/a-fail.md': fail,
      'bail/b-pass.md': pass,
    });
    [pretty, literate, bail, none, sections, optIn, cliTimeout, jsonStdout, allPass] = await Promise.all([
      runCli(['run', 'a-pass.md', 'b-fail.md', 'c-skip.md', '--no-stamp', '--reporter', 'pretty'], { cwd: dir }),
      runCli(['run', 'lit.md', '--no-stamp', '--reporter', 'literate'], { cwd: dir }),
      runJson(dir, ['bail/a-fail.md', 'bail/b-pass.md'], ['--no-stamp', '--bail', '--jobs', '1']),
      runJson(dir, ['b-fail.md', 'sections.md'], ['--eval-mode', 'none']),
      runJson(dir, ['sections.md'], ['--no-stamp', '--only-sections', 'Build, setup']),
      runJson(dir, ['a-pass.md'], ['--no-stamp', '--eval-mode', 'optIn']),
      runJson(dir, ['slow.md'], ['--no-stamp', '--timeout', '100']),
      runCli(['run', 'a-pass.md', '--no-stamp', '--reporter', 'json'], { cwd: dir }),
      runCli(['run', 'a-pass.md', 'lit.md', '--no-stamp'], { cwd: dir }),
    ]);
  }, 60_000);

  it('pretty: PASS/FAIL/SKIP per doc, the failure with its frame, and the summary line', () => {
    expect(pretty.code).toBe(1);
    const lines = pretty.stdout.split('\n');
    // Docs run in parallel: lines come in the order docs finish.
    expect(lines.filter((l) => /^ (PASS|FAIL|SKIP) /.test(l)).map((l) => l.replace(/(\d+ ms|[\d.]+ s)$/, 'N ms')).sort()).toEqual([
      ' FAIL  b-fail.md 1 block, N ms',
      ' PASS  a-pass.md 1 block, N ms',
      ' SKIP  c-skip.md later',
    ]);
    expect(pretty.stdout).toContain("    b-fail.md:4:7 this doc fails\n\n      2 |\n      3 | ```ts\n    > 4 | throw new Error('this doc fails')\n        |       ^\n      5 | ```");
    expect(lines).toContain('docs: 1 passed, 1 failed, 1 skipped');
    expect(pretty.stderr).toBe('');
  });

  it('pretty: after several docs, the failures and the skipped docs again, above the summary', () => {
    expect(pretty.stdout).toContain(
      ['', 'Failed (1):', '  ✗ b-fail.md › block 1 (ts, line 3)', '    b-fail.md:4:7 this doc fails', '', 'Skipped (1):', '  ○ c-skip.md: later', '', 'docs: 1 passed, 1 failed, 1 skipped', ''].join('\n'),
    );
  });

  it('literate: prose, code, printed output and values, no value for silent blocks', () => {
    expect(literate.code).toBe(0);
    const out = literate.stdout;
    const order = ['# Literate doc', 'Some prose here.', '│ const answer = 6 * 7', '│ printed 42', '→ 42', '│ ({ hidden: true })', 'Closing words.', 'docs: 1 passed, 0 failed, 0 skipped'];
    let from = 0;
    for (const text of order) {
      const at = out.indexOf(text, from);
      expect(at, `${text} after offset ${from} in:\n${out}`).toBeGreaterThan(-1);
      from = at + text.length;
    }
    expect(out).not.toContain('hidden: true }\n→');
    expect(out).not.toMatch(/→ \{ hidden/);
    expect(out).not.toContain('title: Lit');
  });

  it('--bail stops after the first failing doc (one job at a time)', () => {
    expect(bail.code).toBe(1);
    expect(bail.report.docs.map((d) => [d.path, d.status])).toEqual([['bail/a-fail.md', 'failed']]);
  });

  it('--eval-mode none runs nothing, reports the docs as not run (not passed), and stamps nothing', () => {
    expect(none.code).toBe(0);
    expect(none.report).toMatchObject({ passed: 0, failed: 0, skipped: 0, notRun: 2 });
    expect(none.report.docs.map((d) => [d.status, d.skipReason])).toEqual([
      ['not-run', 'eval mode is none'],
      ['not-run', 'eval mode is none'],
    ]);
    expect(none.report.docs.flatMap((d) => d.blocks.map((b) => b.reason))).toEqual(Array(6).fill('eval mode is none'));
    expect(readFileSync(join(dir, 'b-fail.md'), 'utf8')).toBe(`# Fails\n\n${fail}`);
    expect(readFileSync(join(dir, 'sections.md'), 'utf8')).toBe(sectionsDoc);
  });

  it('--only-sections runs blocks under those headings (nested too) and always blocks', () => {
    expect(sections.code).toBe(0);
    expect(docResult(sections.report, 'sections.md').blocks.map((b) => [b.status, b.stdout])).toEqual([
      ['passed', 'setup\n'],
      ['passed', 'build\n'],
      ['passed', 'inner\n'],
      ['skipped', ''],
      ['passed', 'cleanup\n'],
    ]);
    expect(docResult(sections.report, 'sections.md').blocks[3]!.reason).toBe('not in --only-sections Build,setup');
  });

  it('--eval-mode optIn overrides the doc', () => {
    expect(optIn.code).toBe(0);
    expect(docResult(optIn.report, 'a-pass.md').blocks.map((b) => b.status)).toEqual(['skipped']);
  });

  it('--timeout sets the per-block limit', () => {
    expect(cliTimeout.code).toBe(1);
    expect(blocks(cliTimeout.report, 'slow.md')).toEqual([{ status: 'timed-out', line: 1, error: `slow.md:2:1 ${timeoutMessage(100)}` }]);
  });

  it('json without --output-file goes to stdout', () => {
    expect(jsonStdout.code).toBe(0);
    const report = JSON.parse(jsonStdout.stdout) as RunResult;
    expect(report).toMatchObject({ passed: 1, failed: 0, skipped: 0 });
    expect(report.docs[0]).toMatchObject({ path: 'a-pass.md', status: 'passed', blocks: [{ index: 0, lang: 'ts', line: 1, status: 'passed', stdout: 'ok\n' }] });
  });

  it('exit code 0 when every doc passed; pretty is the default without a TTY', () => {
    expect(allPass.code).toBe(0);
    expect(allPass.stdout).toContain('docs: 2 passed, 0 failed, 0 skipped');
    expect(allPass.stdout).toMatch(/^ PASS {2}a-pass\.md /m);
  });
});

describe('runbook: usage, help, version, globs', () => {
  const usageCases: [name: string, args: string[], stderr: string][] = [
    ['unknown flag with a suggestion', ['run', 'a.md', '--tmeout', '5'], "runbook: Unknown option '--tmeout'. Did you mean '--timeout'? Run 'runbook run --help' to see the options.\n"],
    ['a glob matching nothing', ['run', 'nothing/*.md'], "runbook: No doc matched 'nothing/*.md'. Check the pattern and the folder you run from (CWD).\n"],
    ['a missing file', ['run', 'missing.md'], 'runbook: No such file: missing.md. Check the path (relative to CWD).\n'],
    ['no docs', ['run'], "runbook: No docs given. Name files or globs, e.g. runbook run 'docs/**/*.md', or set default globs in runbook.config.ts: export default { docs: ['docs/**/*.md'] }.\n"],
    ['unknown command', ['frob'], "runbook: unknown command 'frob'. Commands: run, check, list, open, merge-reports. Run 'runbook --help'.\n"],
    ['a mistyped command', ['runn', 'a.md'], "runbook: unknown command 'runn'. Did you mean 'run'? Commands: run, check, list, open, merge-reports. Run 'runbook --help'.\n"],
    ['help for a mistyped command', ['help', 'lst'], "runbook: unknown command 'lst'. Did you mean 'list'? Commands: run, check, list, open, merge-reports. Run 'runbook --help'.\n"],
    ['a mistyped top-level option', ['--verison'], "runbook: Unknown option '--verison'. Did you mean '--version'? Run 'runbook --help'.\n"],
    ['a command’s option before the command', ['--jobs', '2', 'run'], "runbook: Unknown option '--jobs'. A command's options go after it, e.g. runbook run doc.md --jobs. Run 'runbook --help'.\n"],
    ['a mistyped flag', ['run', 'a.md', '--jbos', '2'], "runbook: Unknown option '--jbos'. Did you mean '--jobs'? Run 'runbook run --help' to see the options.\n"],
    ['a flag without its value', ['run', 'a.md', '--timeout'], "runbook: Option '--timeout <value>' needs a value. Run 'runbook run --help'.\n"],
    ['an unknown eval mode', ['run', 'a.md', '--eval-mode', 'some'], 'runbook: --eval-mode expected one of all, optIn, none, got "some" (string). Run \'runbook run --help\'.\n'],
  ];
  // Node 20 itself checks every `--env-file` argument, even after the script,
  // and exits 9 before runbook runs (nodejs/node#54232); later Nodes leave it to us.
  if (Number(process.versions.node.split('.')[0]) >= 22) {
    usageCases.push(['a missing --env-file', ['run', 'a.md', '--env-file', 'nope.env'], 'runbook: Cannot read --env-file nope.env: ']);
  }

  let dir: string;
  let results: CliResult[];
  let help: CliResult;
  let runHelp: CliResult;
  let version: CliResult;
  let bare: CliResult;
  let globbed: JsonRun;
  let folder: JsonRun;
  let mixed: CliResult;

  beforeAll(async () => {
    dir = makeDocs({
      'a.md': pass,
      'docs/one.md': pass,
      'docs/sub/two.md': pass,
      'docs/sub/deeper/three.md': pass,
      'docs/node_modules/pkg/readme.md': fail,
      'docs/notes.txt': 'not a doc',
    });
    [results, [help, runHelp, version, bare, mixed], globbed, folder] = await Promise.all([
      Promise.all(usageCases.map(([, args]) => runCli(args, { cwd: dir }))),
      Promise.all([
        runCli(['--help'], { cwd: dir }),
        runCli(['run', '--help'], { cwd: dir }),
        runCli(['--version'], { cwd: dir }),
        runCli([], { cwd: dir }),
        runCli(['run', 'docs/*.md', 'nothing/*.md', '--no-stamp'], { cwd: dir }),
      ]),
      runJson(dir, ['docs/**/*.md', 'a.md'], ['--no-stamp']),
      runJson(dir, ['docs/sub'], ['--no-stamp']),
    ]);
  }, 60_000);

  it.each(usageCases.map((c, i) => [...c, i] as const))('%s → exit 2 with a message', (_name, _args, stderr, i) => {
    const result = results[i]!;
    expect(result.code).toBe(2);
    const shown = result.stderr.split(dir.replace(/\/$/, '')).join('CWD');
    if (stderr.endsWith('\n')) expect(shown).toBe(stderr);
    else expect(shown.startsWith(stderr)).toBe(true);
    expect(result.stdout).toBe('');
  });

  it.runIf(Number(process.versions.node.split('.')[0]) < 22)('a missing --env-file on Node 20: Node refuses it with a clear message', async () => {
    const result = await runCli(['run', 'a.md', '--env-file', 'nope.env'], { cwd: dir });
    expect(result.code).toBe(9);
    expect(result.stderr).toContain('nope.env: not found');
  });

  it('--help and run --help exit 0 and list the options', () => {
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('runbook run <files|globs…> [options]');
    expect(runHelp.code).toBe(0);
    for (const flag of ['--timeout', '--eval-mode', '--only-sections', '--reporter', '--output-file', '--update', '--no-stamp', '--bail', '--env-file', '--llm', 'RUNBOOK_CACHE_DIR', 'RUNBOOK_CACHE=off']) {
      expect(runHelp.stdout).toContain(flag);
    }
    expect(runHelp.stdout).toContain('skip  silent  eval  always  throws  throws="text"  timeout=MS  output');
    expect(runHelp.stdout).toContain('Exit codes: 0 all docs passed, were skipped or did not run, 1 a doc failed (with\n--fail-on-skip, also a skipped one), 2 usage or input error, 130 Ctrl-C.');
    expect(runHelp.stdout).toContain('--fail-on-skip');
  });

  it('help <command> prints that command’s help, as <command> --help does', async () => {
    for (const command of ['run', 'check', 'list', 'open']) {
      const [viaHelp, viaFlag] = await Promise.all([runCli(['help', command], { cwd: dir }), runCli([command, '--help'], { cwd: dir })]);
      expect(viaHelp).toEqual({ code: 0, stdout: viaFlag.stdout, stderr: '' });
      expect(viaHelp.stdout).toMatch(new RegExp(`^Usage: runbook ${command} `));
    }
    expect(await runCli(['help'], { cwd: dir })).toEqual({ code: 0, stdout: help.stdout, stderr: '' });
  });

  it('--version prints the package version', () => {
    const { version: expected } = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
    expect(version).toEqual({ code: 0, stdout: `${expected}\n`, stderr: '' });
  });

  it('no command shows help and exits 2', () => {
    expect(bare.code).toBe(2);
    expect(bare.stdout).toContain('Usage:');
  });

  it('quoted globs are expanded by runbook, node_modules left out, de-duplicated', () => {
    expect(globbed.code).toBe(0);
    expect(globbed.report.docs.map((d) => d.path).sort()).toEqual(['a.md', 'docs/one.md', 'docs/sub/deeper/three.md', 'docs/sub/two.md']);
  });

  it('a folder means every .md file under it', () => {
    expect(folder.report.docs.map((d) => d.path).sort()).toEqual(['docs/sub/deeper/three.md', 'docs/sub/two.md']);
  });

  it('one glob matching nothing fails the whole command before running anything', () => {
    expect(mixed.code).toBe(2);
    expect(mixed.stdout).toBe('');
  });
});

describe('--fail-on-skip', () => {
  const skipped = `---\nrequires:\n  env: [RB_TEST_NEVER_SET_KEY]\n---\n# Needs a key\n\n${pass}`;
  const reason = 'requires environment variable RB_TEST_NEVER_SET_KEY (not set)';

  it('turns a skipped doc into a failure (exit 1) with the reason, and stamps nothing; without it the skip passes', async () => {
    const dir = makeDocs({ 'a-pass.md': pass, 'b-key.md': skipped, 'config/runbook.config.json': '{ "failOnSkip": true }' });
    const [flagged, configured, plain] = await Promise.all([
      runJson(dir, ['a-pass.md', 'b-key.md'], ['--fail-on-skip', '--no-stamp']),
      runJson(dir, ['a-pass.md', 'b-key.md'], ['--config', 'config/runbook.config.json']),
      runJson(dir, ['a-pass.md', 'b-key.md'], ['--no-stamp']),
    ]);
    for (const run of [flagged, configured]) {
      expect(run.code).toBe(1);
      expect(run.report).toMatchObject({ passed: 1, failed: 1, skipped: 0 });
      expect(docResult(run.report, 'b-key.md')).toMatchObject({
        status: 'failed',
        skipReason: reason,
        stamped: false,
        error: {
          code: 'RUNBOOK_SKIPPED',
          message: `The doc was skipped (${reason}), and --fail-on-skip (config failOnSkip) makes a skipped doc a failure. Give it what it needs (e.g. the environment variable), or run without --fail-on-skip.`,
        },
      });
    }
    expect(readFileSync(join(dir, 'b-key.md'), 'utf8')).toBe(skipped);
    expect(plain.code).toBe(0);
    expect(docResult(plain.report, 'b-key.md')).toMatchObject({ status: 'skipped', skipReason: reason });
  });
});

describe('frontmatter timeout', () => {
  it('must be a whole number of ms up to the timer limit: the doc fails with the reason, nothing runs', async () => {
    const dir = makeDocs({
      'huge.md': `---\ntimeout: 99999999999\n---\n# Huge\n\n${fence('ts', "console.log('ran')")}`,
      'word.md': `---\ntimeout: soon\n---\n# Word\n\n${fence('ts', "console.log('ran')")}`,
    });
    const { code, report } = await runJson(dir, ['huge.md', 'word.md'], ['--no-stamp']);
    expect(code).toBe(1);
    expect(report.docs.map((doc) => [doc.status, doc.blocks.length, doc.error?.message])).toEqual([
      ['failed', 0, 'huge.md: frontmatter timeout 99999999999 is too long: at most 2147483647 ms (about 24.8 days), the longest timer Node allows.'],
      ['failed', 0, 'word.md: frontmatter timeout is "soon"; use a whole number of milliseconds, e.g. timeout: 5000.'],
    ]);
  });
});
