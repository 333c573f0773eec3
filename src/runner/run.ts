import { availableParallelism } from 'node:os';
import { closeWatchdog } from '../engine/watchdog.js';
import type { RunEvents } from './events.js';
import { whileRunning } from './interrupt.js';
import { WorkerPool } from './pool.js';
import type { DocResult } from './results.js';
import { summarize, type RunResult } from './results.js';
import { runDoc } from './run-doc.js';
import type { DocHooks } from './doc-session.js';
import type { RunOptions } from './run-options.js';

export interface RunPlan {
  /** Parallel worker processes; 1 runs the docs in this process. Default: the number of cores. */
  jobs?: number;
  /** Interactive hooks (--step, --console); given, the docs run in this process. */
  hooks?: DocHooks;
}

/**
 * Runs docs and reports as it goes. One job runs them here, one after another
 * (the fast path for a single doc); more jobs use a pool of worker processes.
 */
export async function runDocs(paths: string[], options: RunOptions, events: RunEvents = {}, plan: RunPlan = {}): Promise<RunResult> {
  const started = performance.now();
  events.onRunStart?.(paths);
  const jobs = plan.hooks ? 1 : Math.min(plan.jobs ?? availableParallelism(), paths.length);
  const results = jobs > 1 ? await runPooled(paths, options, events, jobs) : await runHere(paths, options, events, plan.hooks);
  const run = summarize(results, Math.round(performance.now() - started));
  await events.onRunEnd?.(run);
  return run;
}

async function runHere(paths: string[], options: RunOptions, events: RunEvents, hooks?: DocHooks): Promise<DocResult[]> {
  const results: DocResult[] = [];
  try {
    for (const path of paths) {
      const result = await runDoc(path, options, events, hooks);
      results.push(result);
      if (options.bail && result.status === 'failed') break;
    }
  } finally {
    await closeWatchdog();
  }
  return results;
}

async function runPooled(paths: string[], options: RunOptions, events: RunEvents, jobs: number): Promise<DocResult[]> {
  const pool = new WorkerPool(jobs);
  // On SIGINT/SIGTERM each worker cleans up its doc, stamps nothing, and exits.
  const stopWatching = whileRunning(() => pool.close('SIGTERM'));
  const results: (DocResult | undefined)[] = new Array(paths.length);
  let bailed = false;
  let next = 0;
  const lane = async () => {
    while (!bailed && next < paths.length) {
      const index = next++;
      const result = await pool.run(paths[index]!, options, events);
      results[index] = result;
      if (options.bail && result.status === 'failed') bailed = true;
    }
  };
  try {
    await Promise.all(Array.from({ length: jobs }, lane));
  } finally {
    stopWatching();
    await pool.close();
  }
  return results.filter((result): result is DocResult => result !== undefined);
}
