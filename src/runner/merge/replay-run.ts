import type { RunEvents } from '../events.js';
import type { RunResult } from '../results.js';

/**
 * Tells reporters about a finished run, in the order a live run would have:
 * the run starts, each doc's blocks and then the doc end, the run ends. A
 * finished run holds results only (no doc text, no live output), so
 * `onDocStart`, `onBlockStart` and `onBlockOutput` are not heard: reporters
 * that render from results (all but literate) report it in full.
 */
export async function replayRun(run: RunResult, events: RunEvents): Promise<void> {
  events.onRunStart?.(run.docs.map((doc) => doc.path));
  for (const doc of run.docs) {
    for (const block of doc.blocks) events.onBlockEnd?.({ path: doc.path, result: block });
    events.onDocEnd?.(doc);
  }
  await events.onRunEnd?.(run);
}
