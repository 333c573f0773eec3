import { describe, expect, it } from 'vitest';
import { summarize, type DocResult } from '../../../src/runner/results.js';
import { stepSummary } from '../../../src/runner/reporters/step-summary.js';
import { failFrame, syntheticRun } from './synthetic-run.js';

const base = { title: 'x', tags: [], durationMs: 5, blocks: [], cleanedUp: [], stamped: false, warnings: [] };

describe('stepSummary', () => {
  it('gives the totals, a row per doc and each failure at its location with its code frame', () => {
    expect(stepSummary(syntheticRun())).toBe(
      [
        '### ❌ runbook: 1 passed, 3 failed, 1 skipped',
        '',
        '5 docs in 4.32 s.',
        '',
        '| Doc | Status | Time |',
        '| --- | --- | --- |',
        '| `docs/pass.md` | ✅ passed | 1.23 s |',
        '| `docs/fail.md` | ❌ failed | 88 ms |',
        '| `docs/issue #4, 100%: odd\\name.md` | ❌ failed | 2.50 s |',
        '| `docs/skip.md` | ⏭️ skipped: requires environment variable OPENAI_API_KEY (not set) | 0 ms |',
        '| `docs/broken.md` | ❌ failed | 3 ms |',
        '',
        '#### Failures',
        '',
        '**`docs/fail.md:9:3`** block 2 failed',
        '',
        // The frame holds a ``` line, so the fence is longer.
        '````text',
        "TypeError: Cannot read properties of undefined (reading 'y')",
        '',
        failFrame,
        '````',
        '',
        '**`docs/issue #4, 100%: odd\\name.md:9:1`** block 1 failed',
        '',
        '```text',
        'Output does not match the output block',
        '',
        '- expected 1',
        '+ actual 2',
        '```',
        '',
        '**`docs/issue #4, 100%: odd\\name.md:12:1`** block 2 timed out',
        '',
        '```text',
        'Timed out after 30000 ms.',
        '```',
        '',
        '**`docs/broken.md:2:1`** doc failed',
        '',
        '```text',
        'Invalid frontmatter: bad indentation',
        'at line 2',
        '```',
        '',
        '',
      ].join('\n'),
    );
  });

  it('shows paths as it is told to, and names the doc of a failure in an imported file', () => {
    const error = { message: 'boom in helper', location: 'docs/helper.ts:13:9', file: 'docs/helper.ts', line: 13, column: 9 };
    const doc: DocResult = { ...base, path: 'docs/a.md', status: 'failed', blocks: [{ index: 0, number: 1, lang: 'ts', line: 4, status: 'failed', durationMs: 5, stdout: '', stderr: '', error }] };
    const text = stepSummary(summarize([doc], 5), (path) => `repo/${path}`);
    expect(text).toContain('| `repo/docs/a.md` | ❌ failed | 5 ms |');
    expect(text).toContain('**`repo/docs/helper.ts:13:9`** block 1 failed · doc `repo/docs/a.md`\n\n```text\nboom in helper\n```');
  });

  it('keeps each row one cell per column and HTML as text, whatever the path and the reason hold', () => {
    const docs: DocResult[] = [
      { ...base, path: 'a|b `c`.md', status: 'passed' },
      { ...base, path: '`tick.md', status: 'skipped', skipReason: 'needs <b>KEY</b> | and\na second line' },
    ];
    const rows = stepSummary(summarize(docs, 5)).split('\n').filter((line) => line.startsWith('| ') && !line.startsWith('| Doc') && !line.startsWith('| ---'));
    expect(rows).toEqual(['| ``a\\|b `c`.md`` | ✅ passed | 5 ms |', '| `` `tick.md `` | ⏭️ skipped: needs &lt;b&gt;KEY&lt;/b&gt; \\| and a second line | 5 ms |']);
  });

  it('says the run passed, in the singular for one doc', () => {
    expect(stepSummary(summarize([{ ...base, path: 'a.md', status: 'passed' }], 12)).split('\n').slice(0, 3)).toEqual(['### ✅ runbook: 1 passed, 0 failed, 0 skipped', '', '1 doc in 12 ms.']);
  });

  it('stays under GitHub’s 1 MiB, counting what it left out', () => {
    const message = 'x'.repeat(100_000);
    const failing = (i: number): DocResult => ({ ...base, path: `docs/${i}.md`, status: 'failed', error: { message, line: 1, column: 1 } });
    const text = stepSummary(summarize(Array.from({ length: 20 }, (_, i) => failing(i)), 5));
    expect(Buffer.byteLength(text)).toBeLessThanOrEqual(1024 * 1024);
    expect(text).toContain('| `docs/19.md` | ❌ failed | 5 ms |');
    expect(text.match(/^\*\*`docs\/\d+\.md:1:1`\*\* doc failed$/gm)).toHaveLength(10);
    expect(text.endsWith("\n_Not shown: 10 failures. GitHub keeps at most 1 MiB of a step's summary; the job's log and annotations have every failure._\n")).toBe(true);

    const many = stepSummary(summarize(Array.from({ length: 30_000 }, (_, i) => ({ ...base, path: `docs/${'deep/'.repeat(6)}${i}.md`, status: 'passed' as const })), 5));
    expect(Buffer.byteLength(many)).toBeLessThanOrEqual(1024 * 1024);
    expect(many).toMatch(/\n_Not shown: \d+ docs\. /);
  });
});
