import pc from 'picocolors';
import { describe, expect, it } from 'vitest';
import { summarize } from '../../../src/runner/results.js';
import { runRecap } from '../../../src/runner/reporters/run-recap.js';
import { notRunDoc, passDoc, syntheticRun } from './synthetic-run.js';

const plain = pc.createColors(false);

describe('runRecap', () => {
  it('repeats every failure (doc, block, location, first line of the message), then every skipped doc with its reason', () => {
    expect(runRecap(syntheticRun(), plain)).toEqual([
      '',
      'Failed (3):',
      '  ✗ docs/fail.md › block 2 (ts, line 7)',
      "    docs/fail.md:9:3 TypeError: Cannot read properties of undefined (reading 'y')",
      '  ✗ docs/issue #4, 100%: odd\\name.md › block 1 (ts, line 4)',
      '    docs/issue #4, 100%: odd\\name.md:9:1 Output does not match the output block',
      '  ✗ docs/issue #4, 100%: odd\\name.md › block 2 (ts, line 12)',
      '    docs/issue #4, 100%: odd\\name.md:12:1 Timed out after 30000 ms.',
      '  ✗ docs/broken.md',
      '    docs/broken.md:2:1 Invalid frontmatter: bad indentation',
      '',
      'Skipped (1):',
      '  ○ docs/skip.md: requires environment variable OPENAI_API_KEY (not set)',
    ]);
  });

  it('is empty when nothing failed or was skipped; a doc that did not run is not repeated', () => {
    expect(runRecap(summarize([passDoc, notRunDoc], 10), plain)).toEqual([]);
  });
});
