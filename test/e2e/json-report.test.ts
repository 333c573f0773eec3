import { beforeAll, describe, expect, it } from 'vitest';
import type { RunResult } from '../../src/runner/results.js';
import { docResult, fence, makeDocs, runCli, runJson } from '../support/cli.js';
import { schemaErrors } from '../support/report-schema.js';

// Real runs of every kind, their JSON reports checked against the schema the
// package ships (schema/report.schema.json) with a real validator.

const docs = {
  'pass.md': `---\ntags: [smoke]\n---\n# Pass\n\n${fence('ts', 'const answer = 42\nconsole.log("it <works> & so")\nanswer')}\n${fence('ts', 'answer + 1', 'silent')}\n${fence('ts', 'never()', 'skip')}`,
  'fail.md': `# Fail\n\n${fence('ts', 'const x = 1')}\n${fence('ts', 'const o: any = undefined\no.boom')}\n${fence('ts', 'console.log("never")')}\n${fence('ts', 'console.log("cleanup")', 'always')}`,
  'skip.md': `---\nskip: no key here\n---\n# Skip\n\n${fence('ts', '1')}`,
  'requires.md': `---\nrequires:\n  env: [RB_JSON_REPORT_MISSING]\n---\n# Requires\n\n${fence('ts', '1')}`,
  'leaky.md': `# Leaky\n\n${fence('ts', "const server = container.server('websocket')\nawait server.start({ port: 0 })\nsetInterval(() => {}, 1000)")}`,
  'wait.md': `# Waits too long\n\n${fence('ts', 'await new Promise(() => {})', 'timeout=300')}`,
  'spin.md': `# Never yields\n\n${fence('ts', 'while (true) {}', 'timeout=300')}\n${fence('ts', 'console.log("after the spin")', 'always')}`,
  'mismatch.md': `# Mismatch\n\n${fence('ts', 'console.log("actual")')}${fence('text', 'expected', 'output')}`,
  'bad-yaml.md': `---\ntitle: [unclosed\n---\n# Bad YAML\n\n${fence('ts', '1')}`,
  'import-error.md': `# Import error\n\n${fence('ts', "import { explode } from './helper.ts'\nexplode()")}`,
  'helper.ts': "export function explode(): never {\n  throw new Error('inside the helper')\n}\n",
  'prose.md': '# Only prose\n\nNothing to run here.\n',
  'types.md': `# Types\n\n${fence('ts', 'const n: number = "not a number"')}`,
};
const runDocs = Object.keys(docs).filter((name) => name.endsWith('.md') && name !== 'types.md');

describe('JSON reports of real runs, validated against the shipped schema', () => {
  let dir = '';
  let report: RunResult & { schemaVersion?: unknown };
  let code: number | null = null;
  beforeAll(async () => {
    dir = makeDocs(docs);
    ({ report, code } = await runJson(dir, runDocs, ['--timeout', '10000'], { env: { RB_JSON_REPORT_MISSING: undefined }, timeoutMs: 60_000 }));
  }, 90_000);

  it('a run of every kind of doc: passing, failing with a location, skipped, cleaned up, timed out', () => {
    expect(code).toBe(1);
    expect(schemaErrors(report)).toBe('');
    expect(report.schemaVersion).toBe(1);
    expect(Object.fromEntries(report.docs.map((doc) => [doc.path, doc.status]))).toEqual({
      'bad-yaml.md': 'failed',
      'fail.md': 'failed',
      'import-error.md': 'failed',
      'leaky.md': 'passed',
      'mismatch.md': 'failed',
      'pass.md': 'passed',
      'prose.md': 'skipped',
      'requires.md': 'skipped',
      'skip.md': 'skipped',
      'spin.md': 'failed',
      'wait.md': 'failed',
    });
    // What each kind contributes to the report is really there, so the validation above saw it.
    expect(docResult(report, 'pass.md')).toMatchObject({ tags: ['smoke'], stamped: true, blocks: [{ value: '42' }, { status: 'passed' }, { status: 'skipped' }] });
    expect(docResult(report, 'fail.md').blocks.map((block) => block.status)).toEqual(['passed', 'failed', 'not-run', 'passed']);
    expect(docResult(report, 'fail.md').blocks[1].error).toMatchObject({ location: 'fail.md:9:3', line: 9, column: 3, name: 'TypeError' });
    expect(docResult(report, 'leaky.md').cleanedUp).toEqual(['1 server', '1 interval']);
    expect(docResult(report, 'wait.md').blocks[0]).toMatchObject({ status: 'timed-out', error: { code: 'RUNBOOK_BLOCK_TIMEOUT' } });
    expect(docResult(report, 'spin.md').blocks.map((block) => block.status)).toEqual(['timed-out', 'passed']);
    expect(docResult(report, 'mismatch.md').blocks[0].error?.diff).toContain('actual');
    expect(docResult(report, 'bad-yaml.md').error?.code).toBe('RUNBOOK_INVALID_FRONTMATTER');
    expect(docResult(report, 'import-error.md').blocks[0].error).toMatchObject({ file: 'helper.ts', location: 'helper.ts:2:9' });
    expect(docResult(report, 'requires.md').skipReason).toContain('RB_JSON_REPORT_MISSING');
  });

  it('--eval-mode none, on stdout', async () => {
    const result = await runCli(['run', 'pass.md', 'fail.md', '--eval-mode', 'none', '--no-stamp', '--reporter', 'json'], { cwd: dir });
    const rendered = JSON.parse(result.stdout) as RunResult;
    expect(schemaErrors(rendered)).toBe('');
    expect(rendered.docs.flatMap((doc) => doc.blocks.map((block) => block.status))).not.toContain('passed');
  });

  it('runbook check --reporter json: type errors', async () => {
    const result = await runCli(['check', 'types.md', 'pass.md', '--reporter', 'json'], { cwd: dir, timeoutMs: 60_000 });
    expect(result.code).toBe(1);
    const checked = JSON.parse(result.stdout) as RunResult;
    expect(schemaErrors(checked)).toBe('');
    expect(docResult(checked, 'types.md').blocks[0].error).toMatchObject({ location: 'types.md:4:7', code: 'TS2322' });
  });
});
