import type { DocDone, RunRequest } from '../executor-protocol.js';
import { leftPending } from '../executor/clean-state.js';
import { closeDoc, finishStatus } from './close-doc.js';
import { done, type DocRun, type SupervisorLink } from './doc-run.js';
import { openContext, prepareRun } from './open-doc.js';
import { runBlocks } from './run-blocks.js';

// Taken as the executor loads, before any doc runs: a doc that replaces the globals cannot stall the executor.
const timers = { setTimeout, setImmediate };

/**
 * Runs one doc in this process (an executor), in named phases: prepare (read,
 * parse, compile) → open (its context) → run blocks → close (clean up) →
 * finish (its status). Never throws; reports through `link` and resolves with
 * the `done` message. With `request.keepAlive` the close phase waits: the
 * caller gets the DocRun to serve console requests and must call `closeDoc` later.
 */
export async function executeDoc(request: RunRequest, link: SupervisorLink): Promise<{ done: DocDone; run?: DocRun }> {
  const started = performance.now();
  const prepared = await prepareRun(request, link);
  if ('type' in prepared) {
    prepared.result.durationMs = Math.round(performance.now() - started);
    return { done: prepared };
  }
  const run = openContext(request, link, prepared);
  await runBlocks(run);
  // Before leftPending: the flush set for the end of this turn is the executor's own immediate, not the doc's.
  link.holdPastTurn();
  const pending = leftPending(run.state);
  // Before the doc's timers get their turn: one that never returns must not keep the results from the supervisor.
  // A doc that left nothing to run, and no feature to dispose, has its last blocks' ends go out with its
  // 'done' instead: a write, and a wakeup of the supervisor, fewer per doc.
  if (pending || run.container.holdsAny) link.flush();
  // Let late errors from what the last block started (a due timer, a pending callback) surface first.
  // A timer's turn costs a millisecond of every doc: only for a doc that left something pending.
  if (pending) await new Promise((settle) => timers.setTimeout(settle, 0));
  await new Promise((settle) => timers.setImmediate(settle));
  const keepOpen = request.keepAlive && !run.stopped;
  const dirty = keepOpen ? [] : await closeDoc(run);
  finishStatus(run);
  run.result.durationMs = Math.round(performance.now() - started);
  if (keepOpen) return { done: done(run.result, { ranAny: run.ranAny }), run };
  return { done: done(run.result, { ranAny: run.ranAny, stopped: run.stopped, dirty }) };
}
