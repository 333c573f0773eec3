import { describe, expect, it } from 'vitest';
import { docResult, fence, makeDocs, runJson } from '../support/cli.js';

// Docs run in the runner's own process with --jobs 1. The real `process` is one
// require away, so what a doc changes there must not reach the next doc.
describe('--jobs 1: one doc cannot change the process for the next', () => {
  it('restores the environment and working directory after each doc, and says so', async () => {
    const dir = makeDocs({
      'a-changes.md': fence('ts', `const real = require('node:process')\nreal.env.LEAKED_BY_A = 'yes'\ndelete real.env.HOME\nreal.chdir('/')`),
      'b-looks.md': fence('ts', `const real = require('node:process')\nconsole.log(real.env.LEAKED_BY_A, typeof real.env.HOME, real.cwd() === $doc.dir)`),
    });
    const { report } = await runJson(dir, ['a-changes.md', 'b-looks.md'], ['--jobs', '1', '--no-stamp']);
    expect(docResult(report, 'a-changes.md').warnings).toEqual([
      "the doc changed the runner's working directory and environment variables HOME, LEAKED_BY_A; restored for the next doc",
    ]);
    expect(docResult(report, 'b-looks.md').blocks[0]!.stdout).toBe('undefined string true\n');
  });
});
