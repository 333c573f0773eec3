import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { RunResult } from '../../src/runner/results.js';
import { fence, makeDocs, runCli } from '../support/cli.js';

// `runbook run -`: one doc read from stdin, named <stdin> in every report, never written back.

const doc = [
  '# From a pipe',
  '',
  fence('ts', "import { twice } from './helper.mjs'\nconsole.log('twice 21 is', twice(21), $doc.dir === process.cwd())"),
  fence('text', 'twice 21 is 42 true', 'output'),
  fence('ts', "throw new Error('boom')"),
].join('\n');

describe('runbook run -', () => {
  it('runs the doc on stdin from the working folder, located as <stdin>:LINE:COL, and writes no file', async () => {
    const dir = makeDocs({ 'helper.mjs': 'export const twice = (n) => n * 2\n' });
    const result = await runCli(['run', '-', '--reporter', 'json'], { cwd: dir, input: doc });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(1);
    const report = JSON.parse(result.stdout) as RunResult;
    expect(report.docs).toHaveLength(1);
    const [only] = report.docs;
    expect(only).toMatchObject({ path: '<stdin>', title: 'From a pipe', status: 'failed', stamped: false });
    expect(only!.blocks.map((block) => [block.status, block.stdout])).toEqual([
      ['passed', 'twice 21 is 42 true\n'],
      ['failed', ''],
    ]);
    expect(only!.blocks[1]!.error).toMatchObject({ location: '<stdin>:13:7', message: 'boom' });
    expect(readdirSync(dir)).toEqual(['helper.mjs']);
  });

  it.each([
    ['with a file too', ['run', '-', 'a.md'], doc, `runbook: '-' reads one doc from stdin, but "a.md" was given too. Run the files and the doc from stdin in separate runs.\n`],
    ['with nothing on stdin', ['run', '-'], '', "runbook: '-' reads a doc from stdin, but stdin was empty. Pipe a doc in: cat doc.md | runbook run -\n"],
    ['with --update', ['run', '-', '--update'], doc, "runbook: --update does not work on a doc read from stdin ('-'): it rewrites output fences in the doc file. Save the doc to a file to use --update.\n"],
    ['with --step', ['run', '-', '--step'], doc, "runbook: --step does not work on a doc read from stdin ('-'): its prompt reads your answers from stdin, which holds the doc. Save the doc to a file to use --step.\n"],
    ['over --max-doc-size', ['run', '-', '--max-doc-size', '100'], doc, 'runbook: The doc on stdin is larger than the 100 bytes limit, so runbook does not read it. Raise the limit with --max-doc-size (or maxDocSize in runbook.config.ts), e.g. --max-doc-size 50MB.\n'],
  ])('is a usage error %s', async (_name, args, input, stderr) => {
    const dir = makeDocs({ 'a.md': '# A\n' });
    expect(await runCli(args, { cwd: dir, input })).toEqual({ code: 2, stdout: '', stderr });
  });
});
