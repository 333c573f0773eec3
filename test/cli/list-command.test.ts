import { describe, expect, it } from 'vitest';
import { fence, makeDocs, runCli } from '../support/cli.js';

const stamped = `---\ntitle: Rotate keys\ntags: [ops]\nlastTested: 2026-03-04T05:06:07.000Z\nlastTestPassed: true\n---\n# Rotate\n\n${fence('ts', '1')}\n${fence('sh', 'ls')}`;
const optIn = `---\nevalMode: optIn\n---\n# Notes\n\n${fence('ts', '1')}\n${fence('ts', '2', 'eval')}\n${fence('ts', '3', 'eval')}`;

describe('runbook list', () => {
  it('prints a table: title, tags, blocks, which would run, last stamp', async () => {
    const dir = makeDocs({ 'docs/rotate.md': stamped, 'docs/notes.md': optIn });
    const result = await runCli(['list', 'docs/*.md'], { cwd: dir });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(
      [
        'DOC             TITLE        TAGS  BLOCKS  WOULD RUN     LAST TESTED',
        'docs/notes.md   Notes        -     3       2 of 3: 2, 3  never',
        'docs/rotate.md  Rotate keys  ops   2       1 of 2: 1     2026-03-04 05:06Z pass',
        '',
      ].join('\n'),
    );
  });

  it('fits 80 columns when stdout is not a terminal: long rows become wrapped lines per doc', async () => {
    const title = 'Rotating the signing keys of every service in the staging cluster';
    const dir = makeDocs({
      'docs/operations/quarterly/rotate-signing-keys-in-staging.md': stamped.replace('title: Rotate keys', `title: ${title}`),
      'docs/notes.md': optIn,
    });
    const result = await runCli(['list', 'docs/**/*.md'], { cwd: dir });
    expect(result.code).toBe(0);
    expect(result.stdout.split('\n').filter((line) => line.length > 80)).toEqual([]);
    expect(result.stdout).toBe(
      [
        'docs/notes.md',
        '  Notes',
        '  3 blocks · would run: 2 of 3: 2, 3 · last tested: never',
        'docs/operations/quarterly/rotate-signing-keys-in-staging.md',
        '  Rotating the signing keys of every service in the staging cluster · tags: ops',
        '  2 blocks · would run: 1 of 2: 1 · last tested: 2026-03-04 05:06Z pass',
        '',
      ].join('\n'),
    );
  });

  it('prints JSON with --json', async () => {
    const dir = makeDocs({ 'rotate.md': stamped });
    const result = await runCli(['list', 'rotate.md', '--json'], { cwd: dir });
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual([
      {
        path: 'rotate.md',
        title: 'Rotate keys',
        tags: ['ops'],
        evalMode: 'all',
        blocks: [
          { number: 1, lang: 'ts', line: 9, runs: true },
          { number: 2, lang: 'sh', line: 13, runs: false, reason: "shell blocks run only with the fence token 'eval' or frontmatter shell: true" },
        ],
        lastTested: '2026-03-04T05:06:07.000Z',
        lastTestPassed: true,
      },
    ]);
  });

  it('uses the config’s globs when given no files, relative to the config’s folder', async () => {
    const dir = makeDocs({ 'runbook.config.json': '{ "docs": ["docs/*.md"] }', 'docs/notes.md': optIn, 'sub/other.md': '# Other\n' });
    const result = await runCli(['list', '--json'], { cwd: `${dir}/sub` });
    expect(result.stderr).toBe('');
    expect((JSON.parse(result.stdout) as { path: string }[]).map((doc) => doc.path)).toEqual(['../docs/notes.md']);
  });

  it('refuses a broken config with the file and the key (exit 2)', async () => {
    const dir = makeDocs({ 'runbook.config.json': '{ "docs": "docs/*.md" }' });
    const result = await runCli(['list'], { cwd: dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(`runbook: Invalid ${dir}/runbook.config.json: 'docs' expected array, got "docs/*.md" (string). Known keys: docs, timeout, docTimeout, reporters, jobs, maxDocSize, evalMode, llm, typecheck, stamp, failOnSkip, features.\n`);
  });

  it('asks for docs when there are neither files nor a config', async () => {
    const dir = makeDocs({ 'a.md': '# A\n' });
    const result = await runCli(['list'], { cwd: dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toBe("runbook: No docs given. Name files or globs, e.g. runbook list 'docs/**/*.md', or set default globs in runbook.config.ts: export default { docs: ['docs/**/*.md'] }.\n");
  });
});

describe('runbook run with a config', () => {
  it('takes default globs, timeout and custom features from runbook.config.mjs; flags win', async () => {
    const feature = `class Greeter {\n  static featureName = 'greeter'\n  static kind = 'feature'\n  static description = 'says hello'\n  static optionsSchema = { safeParse: (value) => ({ success: true, data: value ?? {} }) }\n  constructor(container, options) { this.options = options }\n  enable() {}\n  dispose() {}\n  openResources() { return [] }\n  hello() { return 'hello ' + this.options.name }\n}\n`;
    const dir = makeDocs({
      'runbook.config.mjs': `${feature}export default { docs: ['docs/*.md'], timeout: 300, reporters: ['pretty'], features: [Greeter] }\n`,
      'docs/greet.md': `# Greet\n\n${fence('ts', "console.log(container.feature('greeter', { name: 'doc' }).hello())")}\n${fence('text', 'hello doc', 'output')}`,
      'docs/slow.md': `# Slow\n\n${fence('ts', 'await new Promise((resolve) => setTimeout(resolve, 600))')}`,
    });
    const result = await runCli(['run', '--no-stamp'], { cwd: dir });
    expect(result.stdout).toContain('PASS  docs/greet.md');
    expect(result.stdout).toContain('FAIL  docs/slow.md');
    expect(result.stdout).toContain('Timed out after 300 ms');
    expect(result.code).toBe(1);
    const flagWins = await runCli(['run', 'docs/slow.md', '--no-stamp', '--timeout', '2000'], { cwd: dir });
    expect(flagWins.code).toBe(0);
  });
});
