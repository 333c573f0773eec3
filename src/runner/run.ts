import { availableParallelism } from 'node:os';
import { closeWatchdog } from '../engine/watchdog.js';
import type { RunEvents } from './events.js';
import { whileRunning } from './interrupt.js';
import { isReusable, restoreProcess, snapshotEnv } from './process-reuse.js';
import type { DocResult } from './results.js';
import { summarize, type RunResult } from './results.js';
import { runDoc } from './run-doc.js';
import type { DocHooks } from './doc-session.js';
import type { RunOptions } from './run-options.js';

export interface RunPlan {
  /**
   * Parallel worker processes; 1 runs the docs in this process. Default: the
   * docs start in this process and the rest go to as many workers as there are
   * cores once the run has lasted a second (see runAdaptive).
   */
  jobs?: number;
  /** Interactive hooks (--step, --console); given, the docs run in this process. */
  hooks?: DocHooks;
}

/**
 * Runs docs and reports as it goes. One job runs them here, one after another
 * (the fast path for a single doc); more jobs use a pool of worker processes;
 * no jobs given, short runs stay here and long ones move to the pool.
 */
export async function runDocs(paths: string[], options: RunOptions, events: RunEvents = {}, plan: RunPlan = {}): Promise<RunResult> {
  const started = performance.now();
  events.onRunStart?.(paths);
  const jobs = plan.hooks ? 1 : Math.min(plan.jobs ?? availableParallelism(), paths.length);
  const results =
    jobs <= 1 ? await runHere(paths, options, events, plan.hooks)
    : plan.jobs === undefined ? await runAdaptive(paths, options, events, jobs)
    : await runPooled(paths, options, events, jobs);
  const run = summarize(results, Math.round(performance.now() - started));
  await events.onRunEnd?.(run);
  return run;
}

async function runHere(paths: string[], options: RunOptions, events: RunEvents, hooks?: DocHooks): Promise<DocResult[]> {
  const results: DocResult[] = [];
  try {
    for (const path of paths) {
      const cwd = process.cwd();
      const env = { ...process.env };
      const result = await runDoc(path, options, events, hooks);
      const restored = restoreProcess(cwd, env);
      if (restored.length) result.warnings.push(`the doc changed the runner's ${restored.join(' and ')}; restored for the next doc`);
      results.push(result);
      if (options.bail && result.status === 'failed') break;
    }
  } finally {
    await closeWatchdog();
  }
  return results;
}

/**
 * How long the default run works alone before it hands the rest to workers.
 * Starting a worker costs a Node start and a module load (~0.1 s of CPU), and
 * every doc in a worker pays for its events crossing a pipe: a run of small
 * docs is done sooner, and in a third of the memory, without them (see
 * bench/run.mjs).
 */
const spillAfterMs = 1000;

/**
 * The default schedule: docs run in this process, one after another; once the
 * run has lasted `spillAfterMs`, or a doc left this process changed (cwd, env,
 * a timeout, a fault), the remaining docs go to a pool of `jobs` workers. The
 * hand-over happens between docs, so no worker is started while a doc's run
 * marker is in this process's environment.
 */
async function runAdaptive(paths: string[], options: RunOptions, events: RunEvents, jobs: number): Promise<DocResult[]> {
  const started = performance.now();
  const results: (DocResult | undefined)[] = new Array(paths.length);
  let next = 0;
  let spill = false;
  const cwd = process.cwd();
  const env = snapshotEnv();
  try {
    while (next < paths.length) {
      const index = next++;
      const result = await runDoc(paths[index]!, options, events);
      results[index] = result;
      if (options.bail && result.status === 'failed') return results.filter((r): r is DocResult => r !== undefined);
      if (!isReusable(result, cwd, env) || performance.now() - started >= spillAfterMs) {
        spill = true;
        break;
      }
    }
  } finally {
    await closeWatchdog();
  }
  if (spill && next < paths.length) {
    const rest = await runPooled(paths.slice(next), options, events, Math.min(jobs, paths.length - next));
    return [...results.slice(0, next).filter((r): r is DocResult => r !== undefined), ...rest];
  }
  return results.filter((r): r is DocResult => r !== undefined);
}

async function runPooled(paths: string[], options: RunOptions, events: RunEvents, jobs: number): Promise<DocResult[]> {
  const { WorkerPool } = await import('./pool.js'); // only runs that need workers load it
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
