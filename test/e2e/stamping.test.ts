import { chmodSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { RunResult } from '../../src/runner/results.js';
import { docResult, makeDocs, runCli, runJson, type CliResult } from '../support/cli.js';

const STAMP = '{{lastTested}}';
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
