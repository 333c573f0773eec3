import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, chownSync, linkSync, lstatSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { RunResult } from '../../src/runner/results.js';
import { docResult, makeDocs, runCli, runJson, type CliResult } from '../support/cli.js';

const STAMP = '{{lastTested}}';
const isRoot = process.getuid?.() === 0;
const iso = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

const passing = '```ts\nconst ok = 1\n```\n';
const failing = "```ts\nthrow new Error('nope')\n```\n";

// [file, content before, content expected after (STAMP stands for the timestamp)]
const stampCases: [file: string, before: string | Buffer, after: string | Buffer][] = [
  [
    'everything-odd.md',
    '\uFEFF---\r\n# leading comment\r\ntitle: "Odd: quoting"   # kept\r\ndate: 2026-06-29\r\nlastTestPassed: false # was red\r\nalias: \'single\'\r\nlastTested: "2020-01-01T00:00:00.000Z"\r\nlist:\r\n  - a   \r\n---\r\n# Body\r\n\r\nlastTested: body text is not frontmatter\r\n\r\n```ts\r\nconst ok = 1\r\n```\r\n',
    `\uFEFF---\r\n# leading comment\r\ntitle: "Odd: quoting"   # kept\r\ndate: 2026-06-29\r\nlastTestPassed: true # was red\r\nalias: 'single'\r\nlastTested: "${STAMP}"\r\nlist:\r\n  - a   \r\n---\r\n# Body\r\n\r\nlastTested: body text is not frontmatter\r\n\r\n\`\`\`ts\r\nconst ok = 1\r\n\`\`\`\r\n`,
  ],
  ['failed.md', `---\ntitle: F\nlastTested: x\nlastTestPassed: true\n---\n${failing}`, `---\ntitle: F\nlastTested: ${STAMP}\nlastTestPassed: false\n---\n${failing}`],
  ['append.md', `---\ntitle: A\ndate: 2026-06-29\n---\n${passing}`, `---\ntitle: A\ndate: 2026-06-29\nlastTested: ${STAMP}\nlastTestPassed: true\n---\n${passing}`],
  ['none.md', `# No frontmatter\n\n${passing}`, `---\nlastTested: ${STAMP}\nlastTestPassed: true\n---\n\n# No frontmatter\n\n${passing}`],
  [
    'none-crlf-bom.md',
    '\uFEFF# T\r\n\r\n```ts\r\n1\r\n```\r\n',
    `\uFEFF---\r\nlastTested: ${STAMP}\r\nlastTestPassed: true\r\n---\r\n\r\n# T\r\n\r\n\`\`\`ts\r\n1\r\n\`\`\`\r\n`,
  ],
  // The doc appends to itself while it runs: the line survives the stamp.
  [
    'edited.md',
    "---\ntitle: E\n---\n```ts\nimport { appendFileSync } from 'node:fs'\nappendFileSync($doc.path, '\\nAdded during the run.\\n')\n```\n",
    `---\ntitle: E\nlastTested: ${STAMP}\nlastTestPassed: true\n---\n\`\`\`ts\nimport { appendFileSync } from 'node:fs'\nappendFileSync($doc.path, '\\nAdded during the run.\\n')\n\`\`\`\n\nAdded during the run.\n`,
  ],
  [
    'edited-async.md',
    "```ts\nawait fs.appendFile($doc.path, 'tail\\n')\n```\n",
    `---\nlastTested: ${STAMP}\nlastTestPassed: true\n---\n\n\`\`\`ts\nawait fs.appendFile($doc.path, 'tail\\n')\n\`\`\`\ntail\n`,
  ],
  ['mode.md', `---\nx: 1\n---\n${passing}`, `---\nx: 1\nlastTested: ${STAMP}\nlastTestPassed: true\n---\n${passing}`],
];

// Docs whose bytes must not change at all.
const untouchedCases: [file: string, content: string | Buffer][] = [
  ['skip.md', `---\nskip: not today\n---\n${passing}`],
  ['skip-true.md', `---\nskip: true\n---\n${passing}`],
  ['requires.md', `---\nrequires:\n  env: [RUNBOOK_TEST_SURELY_UNSET_VAR]\n---\n${passing}`],
  ['eval-none.md', `---\nevalMode: none\n---\n${passing}`],
  ['all-skipped.md', `---\ntitle: S\n---\n\`\`\`ts skip\nthrow 1\n\`\`\`\n`],
  ['prose-only.md', '# Only prose\n\n```json\n{}\n```\n'],
  ['invalid-yaml.md', `---\ntitle: ok\n  bad: [\n---\n${passing}`],
  // Latin-1 é (0xE9) is not UTF-8: writing would change bytes we cannot represent.
  ['latin1.md', Buffer.concat([Buffer.from('# Caf'), Buffer.from([0xe9]), Buffer.from(`\n\n${passing}`)])],
];

function expectedBytes(template: string | Buffer, stamp: string): Buffer {
  return Buffer.from(String(template).split(STAMP).join(stamp), 'utf8');
}

describe('stamping (real CLI)', () => {
  let dir: string;
  let run: CliResult & { report: RunResult };
  let noStampDir: string;
  let noStamp: CliResult & { report: RunResult };
  let started: number;
  let ended: number;

  beforeAll(async () => {
    const files = Object.fromEntries([...stampCases.map(([file, before]) => [file, before]), ...untouchedCases]);
    dir = makeDocs(files);
    noStampDir = makeDocs(Object.fromEntries(stampCases.filter(([file]) => !file.startsWith('edited')).map(([file, before]) => [file, before])));
    chmodSync(join(dir, 'mode.md'), 0o640);
    chmodSync(join(noStampDir, 'mode.md'), 0o640);
    started = Date.now();
    [run, noStamp] = await Promise.all([
      runJson(dir, Object.keys(files).sort(), [], { env: { RUNBOOK_TEST_SURELY_UNSET_VAR: undefined } }),
      runJson(noStampDir, readdirSync(noStampDir).sort(), ['--no-stamp']),
    ]);
    ended = Date.now();
  }, 60_000);

  it.each(stampCases)('%s: only the two values change', (file, _before, after) => {
    const bytes = readFileSync(join(dir, file));
    const stamp = /lastTested: "?([^"\r\n]*)"?/.exec(bytes.toString('utf8'))?.[1] ?? '';
    expect(stamp).toMatch(iso);
    expect(Date.parse(stamp)).toBeGreaterThanOrEqual(started - 1000);
    expect(Date.parse(stamp)).toBeLessThanOrEqual(ended + 1000);
    expect(bytes.toString('utf8')).toBe(expectedBytes(after, stamp).toString('utf8'));
    expect(bytes.equals(expectedBytes(after, stamp))).toBe(true);
    expect(docResult(run.report, file).stamped).toBe(true);
  });

  it('the run reports pass and fail as stamped', () => {
    expect(docResult(run.report, 'failed.md').status).toBe('failed');
    expect(docResult(run.report, 'everything-odd.md').status).toBe('passed');
    expect(run.code).toBe(1);
  });

  it.each(untouchedCases)('%s is left byte for byte as it was', (file, content) => {
    expect(readFileSync(join(dir, file)).equals(Buffer.from(content))).toBe(true);
    expect(docResult(run.report, file).stamped).toBe(false);
  });

  it('skipped docs are reported as skipped with their reason', () => {
    expect(docResult(run.report, 'skip.md')).toMatchObject({ status: 'skipped', skipReason: 'not today' });
    expect(docResult(run.report, 'skip-true.md')).toMatchObject({ status: 'skipped', skipReason: 'frontmatter says skip' });
    expect(docResult(run.report, 'requires.md')).toMatchObject({
      status: 'skipped',
      skipReason: 'requires environment variable RUNBOOK_TEST_SURELY_UNSET_VAR (not set)',
    });
  });

  it('invalid YAML fails the doc with file:line and leaves it untouched', () => {
    const doc = docResult(run.report, 'invalid-yaml.md');
    expect(doc.status).toBe('failed');
    expect(doc.error?.message).toBe('invalid-yaml.md:3: invalid YAML in frontmatter: bad indentation of a mapping entry. Fix the frontmatter; the file was left untouched.');
  });

  it('a file that is not UTF-8 runs but is not written, with a warning', () => {
    const doc = docResult(run.report, 'latin1.md');
    expect(doc.status).toBe('passed');
    expect(doc.warnings).toEqual(['latin1.md is not valid UTF-8; not writing to it, so that no byte of it is changed.']);
  });

  it('keeps the file mode', () => {
    expect(statSync(join(dir, 'mode.md')).mode & 0o777).toBe(0o640);
  });

  it('leaves no temporary files behind', () => {
    expect(readdirSync(dir).filter((name) => name.startsWith('.') || name.endsWith('.tmp'))).toEqual([]);
  });

  it('--no-stamp leaves every byte as it was', () => {
    for (const [file, before] of stampCases.filter(([f]) => !f.startsWith('edited'))) {
      expect(readFileSync(join(noStampDir, file)).equals(Buffer.from(before)), file).toBe(true);
      expect(docResult(noStamp.report, file).stamped).toBe(false);
    }
    expect(statSync(join(noStampDir, 'mode.md')).mode & 0o777).toBe(0o640);
  });

  it('invalid YAML is reported with file:line by the pretty reporter too', async () => {
    const yamlDir = makeDocs({ 'bad.md': `---\na: 1\nb: [\n---\n${passing}` });
    const before = readFileSync(join(yamlDir, 'bad.md'));
    const result = await runCli(['run', 'bad.md', '--reporter', 'pretty'], { cwd: yamlDir });
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('bad.md:4: invalid YAML in frontmatter: unexpected end of the stream within a flow collection.');
    expect(readFileSync(join(yamlDir, 'bad.md')).equals(before)).toBe(true);
  });
});

// A pid no process has any more: a child that has exited.
function deadPid(): number {
  return spawnSync(process.execPath, ['-e', '']).pid!;
}

const stampLines = (passedValue: boolean) => new RegExp(`^lastTested: \\d{4}-\\d\\d-\\d\\dT[\\d:.]+Z\\nlastTestPassed: ${passedValue}\\n`, 'm');

describe('stamping keeps the file what it was (real CLI)', () => {
  let dir: string;
  let run: CliResult & { report: RunResult };
  const refusedDoc = `---\ntitle: R\nlastTested: &t |\n  2020-01-01\nreviewed: *t\n---\n${passing}`;
  const dead = deadPid();
  // The state a run killed between writing a hard-linked doc in place and truncating it leaves.
  const intended = `---\ntitle: T\nlastTested: 2020-01-01T00:00:00.000Z\nlastTestPassed: true\n---\n${passing}`;

  beforeAll(async () => {
    dir = makeDocs({
      'target.md': `---\ntitle: L\n---\n${passing}`,
      'hard-a.md': `---\ntitle: H\n---\n${passing}`,
      'owned.md': `---\ntitle: O\n---\n${passing}`,
      'refused.md': refusedDoc,
      'torn.md': `${intended}${'old tail that the truncate never cut\n'.repeat(3)}`,
      [`.torn.md.runbook-${dead}.in-place.tmp`]: intended,
      [`.target.md.runbook-${dead}.tmp`]: 'half a doc',
      [`.owned.md.runbook-${process.pid}.tmp`]: 'a live runner is still writing this',
    });
    symlinkSync('target.md', join(dir, 'link.md'));
    linkSync(join(dir, 'hard-a.md'), join(dir, 'hard-b.md'));
    chmodSync(join(dir, 'hard-a.md'), 0o604);
    chmodSync(join(dir, 'owned.md'), 0o620);
    if (isRoot) chownSync(join(dir, 'owned.md'), 4321, 8765);
    run = await runJson(dir, ['link.md', 'hard-a.md', 'owned.md', 'refused.md', 'torn.md']);
  }, 60_000);

  it('a symlink stays a link and its target is stamped', () => {
    expect(lstatSync(join(dir, 'link.md')).isSymbolicLink()).toBe(true);
    expect(readFileSync(join(dir, 'target.md'), 'utf8')).toMatch(new RegExp(`^---\\ntitle: L\\n${stampLines(true).source.slice(1)}---\\n`));
    expect(docResult(run.report, 'link.md').stamped).toBe(true);
  });

  it('hard links stay linked, with their mode', () => {
    const a = statSync(join(dir, 'hard-a.md'));
    const b = statSync(join(dir, 'hard-b.md'));
    expect([a.ino, a.nlink, a.mode & 0o7777]).toEqual([b.ino, 2, 0o604]);
    expect(readFileSync(join(dir, 'hard-b.md'), 'utf8')).toMatch(stampLines(true));
  });

  it(`keeps mode${isRoot ? ', owner and group' : ''}`, () => {
    const stats = statSync(join(dir, 'owned.md'));
    expect(stats.mode & 0o7777).toBe(0o620);
    if (isRoot) expect([stats.uid, stats.gid]).toEqual([4321, 8765]);
    expect(readFileSync(join(dir, 'owned.md'), 'utf8')).toMatch(stampLines(true));
  });

  it('a stamp that would change another key is not written, and the doc says why', () => {
    expect(readFileSync(join(dir, 'refused.md'), 'utf8')).toBe(refusedDoc);
    const doc = docResult(run.report, 'refused.md');
    expect(doc.status).toBe('passed');
    expect(doc.stamped).toBe(false);
    const stamp = /to "([^"\\]+)\\n"/.exec(doc.warnings[0] ?? '')?.[1] ?? '';
    expect(stamp).toMatch(iso);
    expect(doc.warnings).toEqual([
      `refused.md:5: not stamped: the stamp would also change reviewed from "2020-01-01\\n" to "${stamp}\\n". Give lastTested and lastTestPassed values that no other key aliases; the file was left untouched.`,
    ]);
  });

  it('a dead runner’s interrupted in-place write is finished, then stamped', () => {
    expect(readFileSync(join(dir, 'torn.md'), 'utf8')).toMatch(new RegExp(`^---\\ntitle: T\\n${stampLines(true).source.slice(1)}---\\n${passing.replace(/[`()]/g, '\\$&')}$`));
  });

  it('temp files of dead runners are removed; a live runner’s is left alone', () => {
    expect(readdirSync(dir).filter((name) => name.startsWith('.') && name.endsWith('.tmp'))).toEqual([`.owned.md.runbook-${process.pid}.tmp`]);
  });
});

// Appends numbered lines to a file until a stop file appears, sleeping 0.5 ms between them; prints how many.
const appenderScript = `
const { appendFileSync, existsSync } = require('node:fs');
const [file, stop] = process.argv.slice(1);
const pause = new Int32Array(new SharedArrayBuffer(4));
let count = 0;
while (!existsSync(stop)) {
  appendFileSync(file, 'appended ' + count++ + '\\n');
  Atomics.wait(pause, 0, 0, 0.5);
}
process.stdout.write(String(count));
`;

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\`]/g, '\\$&');

describe('the config key stamp, and the flags over it (real CLI)', () => {
  const doc = `---\ntitle: C\n---\n${passing}`;
  const cases: [name: string, config: string, flags: string[], stamped: boolean][] = [
    ['stamp: false turns stamping off', '{ "stamp": false }', [], false],
    ['--stamp stamps despite stamp: false', '{ "stamp": false }', ['--stamp'], true],
    ['stamp: true stamps', '{ "stamp": true }', [], true],
    ['--no-stamp wins over stamp: true', '{ "stamp": true }', ['--no-stamp'], false],
  ];

  it.each(cases)('%s', async (_name, config, flags, stamped) => {
    const dir = makeDocs({ 'runbook.config.json': config, 'doc.md': doc });
    const run = await runJson(dir, ['doc.md'], flags);
    expect(run.code).toBe(0);
    expect(docResult(run.report, 'doc.md').stamped).toBe(stamped);
    const text = readFileSync(join(dir, 'doc.md'), 'utf8');
    if (stamped) expect(text).toMatch(stampLines(true));
    else expect(text).toBe(doc);
  });

  it('a stamp that is not a boolean stops the run before anything runs', async () => {
    const dir = makeDocs({ 'runbook.config.json': '{ "stamp": "no" }', 'doc.md': doc });
    const result = await runCli(['run', 'doc.md'], { cwd: dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`'stamp' expected boolean, got "no" (string)`);
    expect(readFileSync(join(dir, 'doc.md'), 'utf8')).toBe(doc);
  });
});

describe('stamping while other processes act (real CLI)', () => {
  it('a background appender during 30 stamps of one doc loses no line', async () => {
    // The lines land in an unclosed text fence: a doc that cheap to parse again keeps the appender's pace.
    const dir = makeDocs({ 'doc.md': `---\ntitle: A\n---\n${passing}\n\`\`\`text\n` });
    // Thirty links to one doc: one CLI call stamps it thirty times.
    const links = Array.from({ length: 30 }, (_, i) => `run-${String(i).padStart(2, '0')}.md`);
    for (const link of links) symlinkSync('doc.md', join(dir, link));
    const appender = spawn(process.execPath, ['-e', appenderScript, join(dir, 'doc.md'), join(dir, 'stop')], { stdio: ['ignore', 'pipe', 'inherit'] });
    let counted = '';
    appender.stdout.setEncoding('utf8').on('data', (chunk: string) => (counted += chunk));
    const exited = new Promise((resolve) => appender.on('exit', resolve));
    let run: CliResult & { report: RunResult };
    try {
      while (!readFileSync(join(dir, 'doc.md'), 'utf8').includes('appended 0')) await new Promise((resolve) => setTimeout(resolve, 5));
      run = await runJson(dir, links, ['--jobs', '1']);
      writeFileSync(join(dir, 'stop'), '');
      await exited;
    } finally {
      if (appender.exitCode === null) appender.kill('SIGKILL');
    }
    const text = readFileSync(join(dir, 'doc.md'), 'utf8');
    expect(run.report.docs.filter((doc) => doc.stamped)).toHaveLength(30);
    expect(text).toMatch(new RegExp(`^---\\ntitle: A\\n${stampLines(true).source.slice(1)}---\\n${escape(passing)}\\n\`\`\`text\\nappended 0\\n`));
    expect(text.split('\n').filter((line) => line.startsWith('appended '))).toEqual(Array.from({ length: Number(counted) }, (_, i) => `appended ${i}`));
  }, 60_000);

  it('a doc that removes its own file passes, is not stamped, and says why in plain words', async () => {
    const dir = makeDocs({ 'gone.md': "```ts\nimport { unlinkSync } from 'node:fs'\nunlinkSync($doc.path)\n```\n" });
    const run = await runJson(dir, ['gone.md']);
    expect(run.code, run.stderr).toBe(0);
    const result = docResult(run.report, 'gone.md');
    expect(result.stamped).toBe(false);
    expect(result.warnings).toEqual(['gone.md was removed while it ran; it was not stamped (nothing was written).']);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('the next doc runs while one just edited is stamped, and the reporter still hears of one doc after the other', async () => {
    // Written a moment ago: each stamp waits for writers still under way (see rewriteFile).
    const names = Array.from({ length: 4 }, (_, i) => `d${i}.md`);
    const dir = makeDocs(Object.fromEntries(names.map((name, i) => [name, `# Doc ${i}\n\nDoc ${i} starts.\n\n\`\`\`ts\nconsole.log('out ${i}')\n\`\`\`\n\nDoc ${i} ends.\n`])));
    const result = await runCli(['run', ...names, '--jobs', '1', '--reporter', 'literate'], { cwd: dir, env: { NO_COLOR: '1' } });
    expect(result.code, result.stderr).toBe(0);
    // The literate reporter shows a doc's prose around its block as it runs: a doc that started before
    // the last one ended would have its prose shown in the middle of the last one's.
    const expected = names.flatMap((_, i) => [`Doc ${i} starts.`, `out ${i}`, `Doc ${i} ends.`]);
    const seen = result.stdout.split('\n').flatMap((line) => expected.filter((text) => line.replace(/^[│\s]+/, '').trimEnd() === text));
    expect(seen).toEqual(expected);
    names.forEach((name) => expect(readFileSync(join(dir, name), 'utf8'), name).toMatch(stampLines(true)));
  });

  it('SIGKILL during stamping, round after round: every doc intact, and the next run leaves no temp file', async () => {
    const names = Array.from({ length: 24 }, (_, i) => `k${i}.md`);
    const dir = makeDocs(Object.fromEntries(names.map((name, i) => [name, `---\ntitle: K${i}\n---\n${passing}`])));
    linkSync(join(dir, 'k0.md'), join(dir, 'k0-hard-link')); // k0.md is written in place
    const form = (i: number, stamped: 'maybe' | 'yes') =>
      new RegExp(`^---\\ntitle: K${i}\\n(?:${stampLines(true).source.slice(1)})${stamped === 'maybe' ? '?' : ''}---\\n${escape(passing)}$`);
    for (let round = 0; round < 10; round++) {
      const killed = await runCli(['run', ...names], { cwd: dir, timeoutMs: 60 + round * 30 });
      expect(killed.code === null || killed.code === 0, `round ${round}: exit ${killed.code}\n${killed.stderr}`).toBe(true);
      names.forEach((name, i) => expect(readFileSync(join(dir, name), 'utf8'), `round ${round}: ${name}`).toMatch(form(i, 'maybe')));
    }
    const final = await runJson(dir, names);
    expect(final.code).toBe(0);
    names.forEach((name, i) => expect(readFileSync(join(dir, name), 'utf8'), name).toMatch(form(i, 'yes')));
    expect(statSync(join(dir, 'k0.md')).nlink).toBe(2);
    expect(readdirSync(dir).filter((name) => name.endsWith('.tmp'))).toEqual([]);
  }, 60_000);
});

describe('--update with fences, trailing spaces and control characters in the output (real CLI)', () => {
  const code = String.raw`console.log('before\n${'```'}\n~~~\ntrailing   \nnul\0end')`;
  const doc = ['---', 'title: U', '---', '```ts', code, '```', '', '```text output', 'old', '```', '', '## Next section', '', "```ts\nconsole.log('next')\n```", '', '```output', 'next', '```', ''].join('\n');
  const written = ['````text output', 'before', '```', '~~~', 'trailing   ', 'nul\u2400end', '````'].join('\n');
  let dir: string;
  let update: CliResult & { report: RunResult };
  let again: CliResult & { report: RunResult };

  beforeAll(async () => {
    dir = makeDocs({ 'u.md': doc, 'no-lang.md': "```ts\nconsole.log('actual')\n```\n\n```output\nexpected\n```\n" });
    update = await runJson(dir, ['u.md'], ['--update']);
    again = await runJson(dir, ['u.md', 'no-lang.md']);
  }, 60_000);

  it('the output goes in a fence longer than any fence in it, exactly as printed', () => {
    expect(update.code).toBe(0);
    const after = readFileSync(join(dir, 'u.md'), 'utf8');
    const stamp = /lastTested: (\S+)\n/.exec(after)?.[1];
    expect(after).toBe(doc.replace('title: U\n', `title: U\nlastTested: ${stamp}\nlastTestPassed: true\n`).replace('```text output\nold\n```', written));
  });

  it('the next run matches it, section after it included', () => {
    expect(docResult(again.report, 'u.md').blocks.map((block) => block.status)).toEqual(['passed', 'passed']);
    expect(docResult(again.report, 'u.md').status).toBe('passed');
  });

  it('a ```output fence without a language is checked', () => {
    const [check] = docResult(again.report, 'no-lang.md').blocks;
    expect(check?.error?.message).toBe('Output differs from the expected output (run with --update to accept the new output).');
    expect(check?.error?.diff).toBe('--- expected (output fence)\n+++ actual (stdout)\n@@ -1,1 +1,1 @@\n-expected\n+actual');
    expect(again.code).toBe(1);
  });
});
