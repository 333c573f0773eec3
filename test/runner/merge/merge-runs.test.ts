import { describe, expect, it } from 'vitest';
import { hasCode } from '../../../src/errors.js';
import { mergeRuns } from '../../../src/runner/merge/merge-runs.js';
import { summarize, type DocResult } from '../../../src/runner/results.js';
import { selectDocs } from '../../../src/runner/select.js';
import { brokenDoc, failDoc, mismatchDoc, passDoc, skipDoc } from '../reporters/synthetic-run.js';

const withPath = (doc: DocResult, path: string): DocResult => ({ ...doc, path });
// Paths whose order differs between naive guesses: case, digits, punctuation, non-ASCII.
const docs = [withPath(passDoc, 'b.md'), withPath(failDoc, 'B.md'), withPath(skipDoc, 'a-2.md'), withPath(mismatchDoc, 'a10.md'), withPath(brokenDoc, 'é.md')];

describe('mergeRuns', () => {
  it('lists the docs in the order an unsharded run runs them, whatever the shards', async () => {
    const unsharded = await selectDocs(docs.map((doc) => doc.path), {});
    const shards = [
      { file: 's1.json', report: summarize([docs[4], docs[0]], 300) },
      { file: 's2.json', report: summarize([], 5) },
      { file: 's3.json', report: summarize([docs[3], docs[1], docs[2]], 1200) },
    ];
    const merged = mergeRuns(shards);
    expect(merged.docs.map((doc) => doc.path)).toEqual(unsharded);
    expect(mergeRuns([...shards].reverse()).docs.map((doc) => doc.path)).toEqual(unsharded);
  });

  it('counts the docs again, and takes the longest shard as the run time', () => {
    const merged = mergeRuns([
      { file: 's1.json', report: { ...summarize([docs[0], docs[1]], 300), passed: 99 } },
      { file: 's2.json', report: summarize([docs[2], docs[3], docs[4]], 1200) },
    ]);
    expect(merged).toMatchObject({ passed: 1, failed: 3, skipped: 1, durationMs: 1200 });
    expect(merged.docs.find((doc) => doc.path === 'B.md')).toEqual(docs[1]);
  });

  it('merges no docs into an empty run', () => {
    expect(mergeRuns([{ file: 's1.json', report: summarize([], 7) }])).toEqual({ docs: [], passed: 0, failed: 0, skipped: 0, notRun: 0, durationMs: 7 });
  });

  it.each([
    ['two reports', ['s1.json', 's2.json'], 'b.md is in both s1.json and s2.json: each doc belongs to one shard. Give each shard\'s report once.'],
    ['the same report twice', ['s1.json', 's1.json'], 'b.md is in s1.json twice: each doc belongs to one shard. Give each shard\'s report once.'],
  ])('refuses a doc in %s', (_name, files, message) => {
    let thrown: unknown;
    try {
      mergeRuns(files.map((file) => ({ file, report: summarize([docs[0]], 1) })));
    } catch (error) {
      thrown = error;
    }
    expect(hasCode(thrown, 'RUNBOOK_BAD_REPORT')).toBe(true);
    expect((thrown as Error).message).toBe(message);
  });
});
