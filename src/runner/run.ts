import { availableParallelism } from 'node:os';
import type { RunEvents } from './events.js';
import { heldEvents } from './held-events.js';
import { whileRunning } from './interrupt.js';
import type { DocResult } from './results.js';
import { summarize, type RunResult } from './results.js';
import type { RunOptions } from './run-options.js';
import { ExecutorPool } from './schedule/executor-pool.js';
import { runDoc, type SuperviseHooks } from './schedule/supervise-doc.js';

export interface RunPlan {
  /**
   * Executor processes running docs in parallel. Default: one per core (at
   * most one per doc), for a run of fewer than `widenAtOnceDocs` docs only
   * once it has lasted `widenAfterMs` with docs still waiting.
   */
  jobs?: number;
  /** Interactive hooks (--step, --console); given, docs run one at a time. */
  hooks?: SuperviseHooks;
  /** Docs given as Markdown rather than files, by the name they are reported under (`runbook run -`: `<stdin>`). */
  texts?: ReadonlyMap<string, string>;
}

/**
 * How long a default run keeps to one executor. Another executor costs a Node
 * start (~0.1 s of CPU) and its memory: a short run is done as soon, and in
 * half the memory, without it (see bench/run.mjs).
 */
const widenAfterMs = 500;

/**
 * A run of this many docs lasts longer than an executor's start however small
 * its docs are (a doc costs at least a few ms): it takes one per core at once.
 */
const widenAtOnceDocs = 50;

/**
 * Runs docs and reports as it goes. This process only supervises: every doc
 * runs in an executor process (see schedule/), `jobs` of them at once.
 */
export async function runDocs(paths: string[], options: RunOptions, events: RunEvents = {}, plan: RunPlan = {}): Promise<RunResult> {
  const started = performance.now();
  events.onRunStart?.(paths);
  // Checked before any doc runs: a doc with type errors fails with them and never runs.
  const failedByTypes = options.typecheck ? (await import('./typecheck/type-gate.js')).typeGate(paths) : () => undefined;
  const jobs = plan.hooks ? 1 : Math.max(1, Math.min(plan.jobs ?? availableParallelism(), paths.length));
  const pool = new ExecutorPool(jobs);
  // On SIGINT/SIGTERM each executor cleans up its doc and exits; nothing half-done is stamped.
  // The process ends once the run has reported how far it got (or at the shutdown's grace).
  let reported = (): void => {};
  const runReported = new Promise<void>((resolve) => (reported = resolve));
  const stopWatching = whileRunning(async () => {
    await pool.close('SIGTERM');
    await runReported;
  });
  const results: (DocResult | undefined)[] = new Array(paths.length);
  let bailed = false;
  let next = 0;
  const lane = async () => {
    // The lane's last doc has been reported: the next one's events may pass.
    let reported = Promise.resolve();
    // Once the run is being stopped (Ctrl-C), no other doc starts.
    while (!bailed && !pool.closing && next < paths.length) {
      const index = next++;
      const path = paths[index]!;
      const held = heldEvents(events);
      void reported.then(held.release, held.release);
      const failed = failedByTypes(path, held.events);
      const ran = failed ? { status: failed.status, writeBack: async () => {}, report: () => failed } : await runDoc(path, options, held.events, pool, plan.hooks, plan.texts?.get(path));
      if (options.bail && ran.status === 'failed') bailed = true;
      // Its executor is free: the next doc runs while this one is stamped (a file changed a moment
      // ago waits a few ms for writers, see rewriteFile), and is reported after it.
      const written = ran.writeBack();
      reported = Promise.all([reported, written]).then(() => {
        results[index] = ran.report();
      });
      // A reporter that threw ends the run (the lane rethrows it below), as it would have mid-doc.
      reported.catch(() => (bailed = true));
      // A step-by-step run shows one doc at a time, prompts included.
      if (plan.hooks) await reported;
    }
    await reported;
  };
  const lanes = [lane()];
  // The default schedule widens only for a run long enough to gain from it.
  const widenLater = plan.jobs === undefined && !plan.hooks && paths.length < widenAtOnceDocs;
  const widen = widenLater ? setTimeout(() => {
    for (let extra = 1; extra < jobs && next < paths.length; extra++) lanes.push(lane());
  }, widenAfterMs) : undefined;
  if (!widen) for (let extra = 1; extra < jobs; extra++) lanes.push(lane());
  try {
    // Lanes added while waiting are waited for too.
    for (let waited = 0; waited < lanes.length; ) {
      const count = lanes.length;
      await Promise.all(lanes);
      waited = count;
    }
  } finally {
    clearTimeout(widen);
    stopWatching();
    await pool.close();
  }
  const run = summarize(results.filter((result): result is DocResult => result !== undefined), Math.round(performance.now() - started));
  try {
    await events.onRunEnd?.(run);
  } finally {
    reported();
  }
  return run;
}
