import { runbookError } from '../../errors.js';
import { summarize, type DocResult, type RunResult } from '../results.js';
import { byPath } from '../select.js';

/** A report read from a file, named by that file for messages. */
export interface ShardReport {
  file: string;
  report: RunResult;
}

/**
 * One run made of the shards' runs: their docs in the order one unsharded run
 * would have run them, counted again. The shards ran side by side, so the
 * merged run took as long as the longest of them.
 * Throws RUNBOOK_BAD_REPORT when two reports hold the same doc.
 */
export function mergeRuns(shards: ShardReport[]): RunResult {
  const seenIn = new Map<string, string>();
  const docs: DocResult[] = [];
  for (const { file, report } of shards) {
    for (const doc of report.docs) {
      const earlier = seenIn.get(doc.path);
      if (earlier !== undefined) {
        const where = earlier === file ? `in ${file} twice` : `in both ${earlier} and ${file}`;
        throw runbookError('RUNBOOK_BAD_REPORT', `${doc.path} is ${where}: each doc belongs to one shard. Give each shard's report once.`);
      }
      seenIn.set(doc.path, file);
      docs.push(doc);
    }
  }
  docs.sort((a, b) => byPath(a.path, b.path));
  return summarize(docs, Math.max(0, ...shards.map(({ report }) => report.durationMs)));
}
