import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DocResult, RunResult } from '../../src/runner/results.js';
import { processesWith, uniqueMarker, waitUntil } from '../features/helpers/processes.js';
import { cliPath, docResult, fence, makeDocs, runJson } from '../support/cli.js';

// A corpus of docs that misbehave in every way issues 4 and 13 name, run
// through the real CLI in every schedule. Each doc must get its own verdict,
// the run must end soon after the block timeouts, and nothing the corpus
// started may survive it (checked with `ps` for a marker only this file uses).

const marker = uniqueMarker();
const blockTimeout = 1000;
// The supervisor stops an executor this long after a block's limit when the block never yields.
const killGraceMs = 1000;
// Start-up and executor replacement on a busy 2-core machine. The corpus runs are
// also compared with a run of as many healthy docs (see below), so heavy load
// from elsewhere raises the bound with it; a hung doc would still cost 30 s.
const marginMs = 4000;
const timedOutMessage = `Timed out after ${blockTimeout} ms. Raise it with the fence token timeout=MS, frontmatter timeout, or --timeout.`;
const stoppedMessage = `${timedOutMessage} (The block never gave control back, so the process running it was stopped.)`;

// The doc waits until ps sees all of its grandchildren, so the count is not a race.
// Its own timeout keeps it clear of the small --timeout on a loaded machine.
const leakyDoc = `# Leaky

${fence(
  'ts',
  `import { execFileSync, spawn } from 'node:child_process'
const server = container.server('websocket')
await server.start({ port: 0 })
setInterval(() => {}, 1000)
spawn('sh', ['-c', 'sleep ${marker}1 & sleep ${marker}2'], { detached: true, stdio: 'ignore' }).unref()
const seen = () => execFileSync('ps', ['-eo', 'args'], { encoding: 'utf8' }).split('\\n').filter((line) => line.includes('${marker}')).length
const until = Date.now() + 10000
while (seen() < 3 && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 20))
console.log('marked processes:', seen())`,
  'timeout=20000',
)}`;

// Processes started every way a doc can: a cleared environment, a new session, through a shell, through execSync.
const childrenDoc = `# Children

${fence(
  'ts',
  `import cp from 'node:child_process'
cp.spawn('sleep', ['${marker}3'], { env: { PATH: process.env.PATH }, detached: true, stdio: 'ignore' }).unref()
cp.spawn('setsid', ['sleep', '${marker}4'], { env: { PATH: process.env.PATH }, stdio: 'ignore' }).unref()
cp.execSync("sh -c 'sleep ${marker}5 >/dev/null 2>&1 &'", { env: { PATH: process.env.PATH } })
const seen = () => cp.execFileSync('ps', ['-eo', 'args'], { encoding: 'utf8' }).split('\\n').filter((line) => line.includes('${marker}')).length
const until = Date.now() + 10000
while (seen() < 3 && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 20))
console.log('started:', seen())`,
  'timeout=20000',
)}`;

const corpus: Record<string, string> = {
  'loop.md': `# Sync loop\n\n${fence('ts', "console.log('before')")}\n${fence('ts', 'while (true) {}')}\n${fence('ts', "console.log('never')")}`,
  'async-loop.md': `# Async loop\n\n${fence('ts', 'await null\nwhile (true) {}')}`,
  'timer-loop.md': `# Loop in a timer\n\n${fence('ts', 'setTimeout(() => { while (true) {} }, 0)\nawait new Promise((resolve) => setTimeout(resolve, 60000))')}\n${fence('ts', "console.log('always ran')", 'always')}`,
  'then-loop.md': `# Loop in a then\n\n${fence('ts', 'Promise.resolve().then(() => { while (true) {} })')}`,
  'never.md': `# Never resolves\n\n${fence('ts', 'await new Promise(() => {})')}`,
  'exit.md': `# Exit\n\n${fence('ts', "require('node:process').exit(3)")}\n${fence('ts', "console.log('never')")}`,
  'kill.md': `# Kill itself\n\n${fence('ts', "process.kill(process.pid, 'SIGKILL')")}\n${fence('ts', "console.log('always ran')", 'always')}`,
  'abort.md': `# Abort\n\n${fence('ts', 'process.abort()')}`,
  'bad-throw.md': `# A thrown value whose toString throws\n\n${fence('ts', "throw { toString() { throw new Error('no string') } }")}`,
  'bad-stack.md': `# A throwing prepareStackTrace\n\n${fence('ts', "Error.prepareStackTrace = () => { throw new Error('no stack') }\nthrow new Error('the failure')")}`,
  'silenced.md': `# Silenced stdout\n\n${fence('ts', "process.stdout.write = () => true\nconsole.log('swallowed')\nthrow new Error('still reported')")}`,
  'exit-code.md': `# Exit listener\n\n${fence('ts', "process.on('exit', () => { process.exitCode = 0 })\nthrow new Error('fails anyway')")}`,
  'patches.md': `# Patches\n\n${fence('ts', "process.chdir('/')\nprocess.env.PATCHED_BY_DOC = 'yes'\nBuffer.prototype.toString = function () { return 'patched' }\nJSON.stringify = () => 'patched'")}`,
  'probe.md': `# Probe\n\n${fence('ts', "console.log(process.env.PATCHED_BY_DOC, Buffer.from('ok').toString(), JSON.stringify([1]), process.cwd() !== '/')")}`,
  'late-throw.md': `# Late throw\n\n${fence('ts', "setTimeout(() => { throw new Error('late boom') }, 10)")}\n${fence('ts', 'await new Promise((resolve) => setTimeout(resolve, 300))')}\n${fence('ts', "console.log('never')")}`,
  'rejection.md': `# Rejection\n\n${fence('ts', "void Promise.reject(new Error('rejected x'))\nawait new Promise((resolve) => setTimeout(resolve, 50))")}`,
  'sh-sleep.md': `# Shell sleep\n\n${fence('sh', `sleep ${marker}6`, 'eval')}`,
  'leaky.md': leakyDoc,
  'children.md': childrenDoc,
  'always.md': `# Always\n\n${fence('ts', "throw new Error('first fails')")}\n${fence('ts', "console.log('skipped')")}\n${fence('ts', "console.log('always ran')", 'always')}`,
  'healthy-a.md': `# Healthy A\n\n${fence('ts', 'const a = 1')}\n${fence('ts', "console.log('a is', a + 1)")}`,
  'healthy-b.md': `# Healthy B\n\n${fence('ts', "const b = await Promise.resolve(2)\nconsole.log('b is', b)")}`,
};
const corpusDocs = Object.keys(corpus);
// Blocks that only end by a timeout: worst case, one after the other (--jobs 1).
const timeoutsMs = 7 * (blockTimeout + killGraceMs);
// As many healthy docs as the corpus has: what the run costs on this machine, now.
const baselineCorpus = Object.fromEntries(corpusDocs.map((name) => [`baseline/${name}`, corpus['healthy-a.md']!]));

type BlockExpectation = { line: number; status: string; stdout?: string; message?: string | RegExp; code?: string };
const notRun = (line: number): BlockExpectation => ({ line, status: 'not-run' });
const lost = (signal: string) => `The executor running this doc ended (signal ${signal}) before the doc finished. Look for process.kill, a native crash or running out of memory in this block.`;

/** Each corpus doc: its status and every block's status, output and message. */
const expected: Record<string, { status: DocResult['status']; blocks: BlockExpectation[] }> = {
  'loop.md': { status: 'failed', blocks: [{ line: 3, status: 'passed', stdout: 'before\n' }, { line: 7, status: 'timed-out', message: stoppedMessage, code: 'RUNBOOK_BLOCK_TIMEOUT' }, notRun(11)] },
  'async-loop.md': { status: 'failed', blocks: [{ line: 3, status: 'timed-out', message: stoppedMessage, code: 'RUNBOOK_BLOCK_TIMEOUT' }] },
  'timer-loop.md': { status: 'failed', blocks: [{ line: 3, status: 'timed-out', message: stoppedMessage, code: 'RUNBOOK_BLOCK_TIMEOUT' }, { line: 8, status: 'passed', stdout: 'always ran\n' }] },
  'then-loop.md': { status: 'failed', blocks: [{ line: 3, status: 'timed-out', message: stoppedMessage, code: 'RUNBOOK_BLOCK_TIMEOUT' }] },
  'never.md': { status: 'failed', blocks: [{ line: 3, status: 'timed-out', message: timedOutMessage, code: 'RUNBOOK_BLOCK_TIMEOUT' }] },
  'exit.md': {
    status: 'failed',
    blocks: [{ line: 3, status: 'failed', message: 'The doc called process.exit(3): a doc cannot end the process that runs it. Throw an error to fail the doc instead.', code: 'RUNBOOK_DOC_FAULT' }, notRun(7)],
  },
  'kill.md': { status: 'failed', blocks: [{ line: 3, status: 'failed', message: lost('SIGKILL'), code: 'RUNBOOK_EXECUTOR_LOST' }, { line: 7, status: 'passed', stdout: 'always ran\n' }] },
  'abort.md': { status: 'failed', blocks: [{ line: 3, status: 'failed', message: 'The doc called process.abort(): a doc cannot end the process that runs it. Throw an error to fail the doc instead.', code: 'RUNBOOK_DOC_FAULT' }] },
  'bad-throw.md': { status: 'failed', blocks: [{ line: 3, status: 'failed', message: 'threw a non-Error value: { toString: [Function: toString] }' }] },
  'bad-stack.md': { status: 'failed', blocks: [{ line: 3, status: 'failed', message: 'the failure' }] },
  'silenced.md': { status: 'failed', blocks: [{ line: 3, status: 'failed', stdout: '', message: 'still reported' }] },
  'exit-code.md': { status: 'failed', blocks: [{ line: 3, status: 'failed', message: 'fails anyway' }] },
  'patches.md': { status: 'passed', blocks: [{ line: 3, status: 'passed' }] },
  'probe.md': { status: 'passed', blocks: [{ line: 3, status: 'passed', stdout: 'undefined ok [1] true\n' }] },
  'late-throw.md': { status: 'failed', blocks: [{ line: 3, status: 'passed' }, { line: 7, status: 'failed', message: 'uncaught exception: late boom' }, notRun(11)] },
  'rejection.md': { status: 'failed', blocks: [{ line: 3, status: 'failed', message: 'unhandled rejection: rejected x' }] },
  'sh-sleep.md': { status: 'failed', blocks: [{ line: 3, status: 'timed-out', message: `The sh block did not finish within ${blockTimeout} ms and was killed.` }] },
  'leaky.md': { status: 'passed', blocks: [{ line: 3, status: 'passed', stdout: 'marked processes: 3\n' }] },
  'children.md': { status: 'passed', blocks: [{ line: 3, status: 'passed', stdout: 'started: 3\n' }] },
  'always.md': { status: 'failed', blocks: [{ line: 3, status: 'failed', message: 'first fails' }, notRun(7), { line: 11, status: 'passed', stdout: 'always ran\n' }] },
  'healthy-a.md': { status: 'passed', blocks: [{ line: 3, status: 'passed' }, { line: 7, status: 'passed', stdout: 'a is 2\n' }] },
  'healthy-b.md': { status: 'passed', blocks: [{ line: 3, status: 'passed', stdout: 'b is 2\n' }] },
};

function blockSummary(doc: DocResult): BlockExpectation[] {
  return doc.blocks.map((block, position) => {
    const want = expected[doc.path]!.blocks[position];
    const got: BlockExpectation = { line: block.line, status: block.status };
    if (want?.stdout !== undefined) got.stdout = block.stdout;
    if (want?.message !== undefined) got.message = block.error?.message;
    if (want?.code !== undefined) got.code = block.error?.code;
    return got;
  });
}

async function noMarkedProcesses(): Promise<void> {
  // SIGKILLed processes may take a moment to leave the process table.
  await waitUntil(() => processesWith(marker).length === 0, 3000, `no process with marker ${marker}`).catch(() => {});
  expect(processesWith(marker)).toEqual([]);
}

async function timedRun(dir: string, docs: string[], args: string[]): Promise<{ code: number | null; report: RunResult; wallMs: number; stderr: string }> {
  const started = performance.now();
  const result = await runJson(dir, docs, ['--no-stamp', ...args], { timeoutMs: 40_000 });
  return { code: result.code, report: result.report, wallMs: performance.now() - started, stderr: result.stderr };
}

afterAll(() => {
  // Only if a test failed: stop what this file's corpus started (pids from our own marker).
  for (const line of processesWith(marker)) {
    try {
      process.kill(Number(line.trim().split(/\s+/)[0]), 'SIGKILL');
    } catch {
      // Already gone.
    }
  }
});

describe('fault corpus (real CLI)', () => {
  let dir: string;
  beforeAll(() => {
    dir = makeDocs({ ...corpus, ...baselineCorpus });
  });

  it.each([
    ['--jobs 2', ['--jobs', '2']],
    ['--jobs 1', ['--jobs', '1']],
    ['the default schedule', []],
  ])('%s: every doc gets its own verdict, the run ends in time, nothing is left running', { timeout: 120_000 }, async (_name, schedule) => {
    const baseline = await timedRun(dir, Object.keys(baselineCorpus), [...schedule, '--timeout', String(blockTimeout)]);
    expect(baseline.report.passed).toBe(corpusDocs.length);
    const { code, report, wallMs, stderr } = await timedRun(dir, corpusDocs, [...schedule, '--timeout', String(blockTimeout)]);
    expect(stderr).toBe('');
    expect(code).toBe(1);
    expect(report.docs.map((doc) => doc.path).sort()).toEqual([...corpusDocs].sort());
    for (const name of corpusDocs) {
      const doc = docResult(report, name);
      expect({ path: name, status: doc.status, blocks: blockSummary(doc) }).toEqual({ path: name, ...expected[name] });
      if (!['leaky.md', 'children.md'].includes(name)) expect(doc.error).toBeUndefined();
    }
    expect(docResult(report, 'leaky.md').cleanedUp).toEqual(['1 server', '1 interval', '3 processes']);
    expect(docResult(report, 'children.md').cleanedUp).toEqual(['3 processes']);
    expect(docResult(report, 'healthy-a.md').cleanedUp).toEqual([]);
    expect({ passed: report.passed, failed: report.failed, skipped: report.skipped }).toEqual({ passed: 6, failed: 16, skipped: 0 });
    // Faulty docs replace many executors, hence twice the healthy run's time.
    expect({ wallMs, baselineMs: baseline.wallMs, within: wallMs < 2 * baseline.wallMs + timeoutsMs + marginMs }).toMatchObject({ within: true });
    await noMarkedProcesses();
  });

  it('--strict-leaks fails the leaky doc and leaves clean docs passing', async () => {
    const { code, report } = await timedRun(dir, ['leaky.md', 'healthy-a.md'], ['--jobs', '2', '--strict-leaks']);
    expect(code).toBe(1);
    const leaky = docResult(report, 'leaky.md');
    expect(leaky.status).toBe('failed');
    expect(leaky.error).toEqual({
      code: 'RUNBOOK_LEAKED',
      message: "The doc left things running that runbook had to clean up: 1 server, 1 interval, 3 processes (--strict-leaks). Stop them in the doc, e.g. in an 'always' block.",
    });
    expect(docResult(report, 'healthy-a.md').status).toBe('passed');
    await noMarkedProcesses();
  });
});

describe('--doc-timeout (real CLI)', () => {
  it.each([['2'], ['1']])('--jobs %s: the doc is stopped when its own time is up, waiting or spinning', { timeout: 60_000 }, async (jobs) => {
    const dir = makeDocs({
      'doc-wait.md': `# Wait\n\n${fence('ts', 'const quick = 1')}\n${fence('ts', 'await new Promise(() => {})')}\n${fence('ts', "console.log('never')")}`,
      'doc-spin.md': `# Spin\n\n${fence('ts', 'const quick = 1')}\n${fence('ts', 'while (true) {}')}`,
    });
    const { code, report, wallMs } = await timedRun(dir, ['doc-wait.md', 'doc-spin.md'], ['--jobs', jobs, '--timeout', '60000', '--doc-timeout', '800']);
    expect(code).toBe(1);
    const message = 'The doc ran out of time: --doc-timeout is 800 ms.';
    const summary = (doc: DocResult) => doc.blocks.map((block) => [block.line, block.status, block.error?.message]);
    expect(summary(docResult(report, 'doc-wait.md'))).toEqual([
      [3, 'passed', undefined],
      [7, 'timed-out', message],
      [11, 'not-run', undefined],
    ]);
    expect(summary(docResult(report, 'doc-spin.md'))).toEqual([
      [3, 'passed', undefined],
      [7, 'timed-out', `${message} (The block never gave control back, so the process running it was stopped.)`],
    ]);
    // Far below the 60 s block timeout: the doc's limit is what ended both.
    expect(wallMs).toBeLessThan(20_000);
  });
});

describe('--bail (real CLI)', () => {
  const okDoc = (name: string) => `# ${name}\n\n${fence('ts', 'await new Promise((resolve) => setTimeout(resolve, 500))')}`;
  const docs: Record<string, string> = { 'a-fails.md': corpus['always.md']! };
  for (const name of ['b-ok', 'c-ok', 'd-ok', 'e-ok', 'f-ok', 'g-ok']) docs[`${name}.md`] = okDoc(name);

  it('--jobs 1 stops after the first failing doc; that doc still runs its always block', async () => {
    const dir = makeDocs(docs);
    const { code, report } = await timedRun(dir, Object.keys(docs), ['--jobs', '1', '--bail']);
    expect(code).toBe(1);
    expect(report.docs.map((doc) => [doc.path, doc.status])).toEqual([['a-fails.md', 'failed']]);
    expect(report.docs[0]!.blocks.map((block) => [block.line, block.status, block.stdout])).toEqual([
      [3, 'failed', ''],
      [7, 'not-run', ''],
      [11, 'passed', 'always ran\n'],
    ]);
  });

  it('--jobs 2 starts no new doc once one failed', async () => {
    const dir = makeDocs(docs);
    const { code, report } = await timedRun(dir, Object.keys(docs), ['--jobs', '2', '--bail']);
    expect(code).toBe(1);
    expect(docResult(report, 'a-fails.md').status).toBe('failed');
    // The other lane may finish the doc it had started (and at most one more if the failing doc was slow to report).
    expect(report.docs.length).toBeLessThanOrEqual(3);
    expect(report.failed).toBe(1);
  });
});

describe('SIGINT / SIGTERM to the CLI during a long doc', () => {
  const longDoc = (suffix: string) =>
    `---\ntitle: Long ${suffix}\n---\n\n# Long ${suffix}\n\n${fence(
      'ts',
      `import { spawn } from 'node:child_process'\nspawn('sh', ['-c', 'sleep ${marker}${suffix}1 & sleep ${marker}${suffix}2'], { stdio: 'ignore' })\nconsole.log('started')`,
    )}\n${fence('ts', 'await new Promise((resolve) => setTimeout(resolve, 60000))')}`;

  it.each([
    ['SIGTERM', '2', 143],
    ['SIGINT', '1', 130],
    ['SIGTERM', '1', 143],
    ['SIGINT', '2', 130],
  ] as const)('%s with --jobs %s: exit %i, no stamp, no process left', async (signal, jobs, exitCode) => {
    const dir = makeDocs({ 'long-1.md': longDoc('5'), 'long-2.md': longDoc('6') });
    const before = ['long-1.md', 'long-2.md'].map((name) => readFileSync(join(dir, name)));
    const child = spawn(process.execPath, [cliPath, 'run', 'long-1.md', 'long-2.md', '--jobs', jobs, '--reporter', 'pretty'], {
      cwd: dir,
      env: { ...process.env, NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    const killer = setTimeout(() => child.kill('SIGKILL'), 25_000);
    try {
      // In the pool both docs start; in-process only the first. Wait for the shell and both sleeps.
      const wanted = jobs === '2' ? 6 : 3;
      await waitUntil(() => processesWith(marker).length >= wanted, 15_000, `${wanted} marked processes`).catch((error: Error) => {
        throw new Error(`${error.message}; the CLI (exit ${child.exitCode}) said:\n${output}`);
      });
      child.kill(signal);
      expect(await exited).toBe(exitCode);
    } finally {
      clearTimeout(killer);
    }
    expect(['long-1.md', 'long-2.md'].map((name) => readFileSync(join(dir, name)))).toEqual(before);
    await noMarkedProcesses();
  });
});

describe('an executor that runs out of memory', () => {
  it('fails its doc with what Node said; the next doc runs', { timeout: 60_000 }, async () => {
    const dir = makeDocs({
      'a-hungry.md': `# Hungry\n\n${fence('ts', 'const kept: number[][] = []\nwhile (true) kept.push(new Array(100_000).fill(1))')}`,
      'b-after.md': `# After\n\n${fence('ts', "console.log('still running')")}`,
    });
    // A small heap for this run only, so that the doc reaches its end quickly.
    const { code, report } = await runJson(dir, ['a-hungry.md', 'b-after.md'], ['--no-stamp', '--jobs', '1', '--timeout', '30000'], { env: { NODE_OPTIONS: '--max-old-space-size=64' }, timeoutMs: 40_000 });
    expect(code).toBe(1);
    const hungry = docResult(report, 'a-hungry.md').blocks[0]!;
    expect(hungry.status).toBe('failed');
    expect(hungry.error?.message).toMatch(/^The executor running this doc ended \((signal SIGABRT|exit code 134)\): (FATAL ERROR: .*|JavaScript heap out of memory)/);
    expect(docResult(report, 'b-after.md').blocks[0]!.stdout).toBe('still running\n');
  });
});
