import { resolve } from 'node:path';
import type { RunEvents } from '../events.js';
import { interruption } from '../interrupt.js';
import { wholeDoc, type RunRequest } from '../executor-protocol.js';
import { maskBlock, maskerOf, maskResult, runSecrets } from '../mask-secrets.js';
import { newRunId } from '../process-sweep.js';
import { failSkipped } from '../fail-on-skip.js';
import { blockIdentity, notRunReason, type BlockResult, type DocResult, type DocStatus } from '../results.js';
import type { RunOptions } from '../run-options.js';
import { attempt, type Attempt, type SuperviseHooks } from './doc-attempt.js';
import { errorAt, type DocWatch } from './doc-watch.js';
import type { Executor } from './executor.js';

export type { SuperviseHooks } from './doc-attempt.js';

/** Where a doc gets its executors: a pool, or one made for it. */
export interface ExecutorSource {
  acquire(): Promise<Executor>;
  /** Gives the executor back: kept for the next doc when `reusable`, else stopped. */
  release(executor: Executor, reusable: boolean): void;
  /** Lets go of an executor for good, without stopping it: its new owner stops it (--console). */
  detach(executor: Executor): void;
  /** True once the run is being stopped (SIGINT/SIGTERM): nothing more is stamped. */
  readonly closing: boolean;
}

/**
 * The block results of a doc whose executor was lost: the running block failed,
 * later ones not run. Returns the `always` blocks still to run — none when the
 * run was interrupted (`interrupted` says how), as then nothing more runs.
 */
function settleLost(watch: DocWatch, outcome: Attempt, only?: Set<number>, interrupted?: string): number[] {
  const always: number[] = [];
  for (const block of watch.doc?.blocks ?? []) {
    if ((block.kind !== 'code' && block.kind !== 'shell') || watch.blocks.has(block.index)) continue;
    if (only && !only.has(block.index)) continue;
    const base = { ...blockIdentity(block), stdout: watch.output.get(block.index)?.stdout ?? '', stderr: watch.output.get(block.index)?.stderr ?? '' };
    let result: BlockResult;
    if (block.index === outcome.running && interrupted) {
      // Where it stopped, without a code frame: the block did nothing wrong.
      const { frame: _frame, ...at } = errorAt(watch, block, `Interrupted (${interrupted}) while this block ran; nothing was stamped.`, 'RUNBOOK_INTERRUPTED');
      result = { ...base, status: 'failed', error: at };
    } else if (block.index === outcome.running) {
      result = { ...base, status: outcome.timedOut ? 'timed-out' : 'failed', error: errorAt(watch, block, outcome.lost!, outcome.timedOut ? 'RUNBOOK_BLOCK_TIMEOUT' : 'RUNBOOK_EXECUTOR_LOST') };
    } else if (interrupted) {
      result = { ...base, status: 'not-run', reason: `the run was interrupted (${interrupted})` };
    } else if (block.tokens.always && outcome.running !== undefined && block.index > outcome.running) {
      always.push(block.index);
      continue;
    } else {
      result = { ...base, status: 'not-run', reason: 'an earlier block failed' };
    }
    watch.blocks.set(block.index, result);
    watch.events.onBlockEnd?.({ path: watch.path, result: maskBlock({ ...result }, watch.mask) });
  }
  return always;
}

/**
 * Runs one doc on executors from `source`, stamps it and reports it: the
 * supervisor's whole part of a doc (see runDoc). Never throws.
 */
export async function superviseDoc(path: string, options: RunOptions, events: RunEvents, source: ExecutorSource, hooks: SuperviseHooks = {}, text?: string): Promise<DocResult> {
  const ran = await runDoc(path, options, events, source, hooks, text);
  await ran.writeBack();
  return ran.report();
}

/** A doc that has run, its executor given back: its stamp and its report are still to come. */
export interface RanDoc {
  /** As it will be reported (after --fail-on-skip): what --bail goes by. */
  readonly status: DocStatus;
  /**
   * Stamps the doc and writes its accepted `output` fences. A doc changed a
   * moment ago takes a few ms more (see rewriteFile): a run goes on with its
   * next doc meanwhile.
   */
  writeBack(): Promise<void>;
  /** Reports the doc (onDocEnd) once written back, and returns its result. */
  report(): DocResult;
}

/**
 * Runs one doc on executors from `source`. It owns the deadlines (an executor
 * past them is killed with its process tree; a fresh one runs the doc's
 * remaining `always` blocks), reads and masks the doc's output, and checks
 * `output` fences. Never throws. Given `text`, the doc is that Markdown, named
 * `path` (`runbook run -`), and no file is written.
 */
export async function runDoc(path: string, options: RunOptions, events: RunEvents, source: ExecutorSource, hooks: SuperviseHooks = {}, text?: string): Promise<RanDoc> {
  const started = performance.now();
  const secrets = runSecrets(options);
  const watch: DocWatch = { path, options, events, secrets, mask: maskerOf(secrets), blocks: new Map(), output: new Map(), updates: [], runId: newRunId() };
  const request: RunRequest = { type: 'run', path, options, runId: watch.runId, step: Boolean(hooks.beforeBlock), keepAlive: Boolean(hooks.keepAlive), text };
  let result: DocResult = { path, title: path, tags: [], status: 'failed', durationMs: 0, blocks: [], cleanedUp: [], stamped: false, warnings: [] };
  let ranAny = false;
  let stopped = false;
  let only: Set<number> | undefined;
  const cleanedStrays: string[] = [];
  for (let current: RunRequest | undefined = request; current; ) {
    let executor: Executor;
    try {
      executor = await source.acquire();
      executor.hold(true);
      await executor.ready;
    } catch (error) {
      result.error = { message: `Could not start an executor process: ${(error as Error).message}.`, code: 'RUNBOOK_EXECUTOR_LOST' };
      break;
    }
    const outcome = await attempt(watch, executor, current, hooks);
    current = undefined;
    if (outcome.done) {
      const done = outcome.done;
      ranAny ||= done.ranAny;
      stopped = done.stopped;
      result = only ? { ...result, cleanedUp: [...result.cleanedUp, ...done.result.cleanedUp], warnings: [...result.warnings, ...done.result.warnings] } : done.result;
      if (only && done.result.status === 'failed') result.status = 'failed';
      if (hooks.keepAlive && !done.stopped && done.result.status !== 'skipped' && watch.doc) {
        source.detach(executor);
        hooks.keepAlive(executor, wholeDoc(watch.doc));
      } else {
        executor.hold(false);
        source.release(executor, done.dirty.length === 0);
      }
      continue;
    }
    // The executor was lost (killed at a deadline, or it died): the doc failed here.
    ranAny = true;
    if (outcome.strays) cleanedStrays.push(`${outcome.strays} process${outcome.strays === 1 ? '' : 'es'}`);
    if (source.closing) {
      // The blocks say where the run stopped; the doc says so itself only when no block was running.
      const how = interruption();
      settleLost(watch, outcome, only, how);
      result = { ...result, title: watch.doc?.title ?? path, status: 'failed' };
      if (outcome.running === undefined) result.error = { message: `The run was interrupted (${how}) before this doc finished; nothing was stamped.`, code: 'RUNBOOK_INTERRUPTED' };
      ranAny = false;
      break;
    }
    source.release(executor, false);
    const always = settleLost(watch, outcome, only);
    result = { ...result, title: watch.doc?.title ?? path, tags: result.tags, status: 'failed' };
    if (outcome.running === undefined) result.error = errorAt(watch, undefined, outcome.lost!, 'RUNBOOK_EXECUTOR_LOST');
    if (always.length) {
      only = new Set(always);
      current = { ...request, runId: newRunId(), step: false, keepAlive: false, only: always };
    }
  }
  result.blocks = [...watch.blocks.values()].sort((a, b) => a.index - b.index);
  result.cleanedUp.push(...cleanedStrays);
  if (result.blocks.some((block) => block.status === 'failed' || block.status === 'timed-out')) result.status = 'failed';
  // Nothing failed because nothing ran: not a pass.
  if (result.status === 'passed' && !ranAny) {
    result.status = 'not-run';
    result.skipReason = notRunReason(result.blocks);
  }
  result.durationMs = Math.round(performance.now() - started);
  // Decided on the doc as it ran: a skipped doc is not stamped, failed or not by --fail-on-skip.
  const stamp = text === undefined && options.stamp && ranAny && !stopped && result.status !== 'skipped' && !source.closing;
  const passed = result.status !== 'failed';
  if (options.failOnSkip) failSkipped(result);
  const done = result;
  return {
    status: done.status,
    writeBack: async () => {
      if (text === undefined) await writeBackDoc(watch, done, stamp ? { passed } : undefined, source.closing);
    },
    report: () => {
      maskResult(done, watch.mask);
      events.onDocEnd?.(done);
      return done;
    },
  };
}

/** Stamps the doc (when `stamp`) and writes its accepted `output` fences (--update): the one place a run writes a doc. */
async function writeBackDoc(watch: DocWatch, result: DocResult, stamp: { passed: boolean } | undefined, closing: boolean): Promise<void> {
  if (!stamp && !(watch.updates.length && !closing)) return;
  try {
    const { writeBack } = await import('../write-back.js'); // loads the YAML parser
    const change = { stamp: stamp ? { lastTested: new Date().toISOString(), lastTestPassed: stamp.passed } : undefined, updates: watch.updates };
    result.stamped = await writeBack(resolve(watch.path), change, watch.path, result.warnings);
  } catch (error) {
    const gone = (error as NodeJS.ErrnoException).code === 'ENOENT';
    result.warnings.push(gone ? `${watch.path} was removed while it ran; it was not stamped (nothing was written).` : (error as Error).message);
  }
}
