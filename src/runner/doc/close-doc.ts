import { countNouns } from '../../container/disposal.js';
import { identityChange, leftoverResources, restoreDocState } from '../executor/clean-state.js';
import { clearDocTimers } from '../executor/doc-timers.js';
import { sweepRun } from '../process-sweep.js';
import { reportFor, stoppedReason, type DocRun } from './doc-run.js';

/**
 * The close phase: ends the doc's context — disposes the container, clears its
 * timers, kills the processes it started, puts the process back as it was.
 * Returns why this executor must not run another doc (empty when it may).
 */
export async function closeDoc(run: DocRun): Promise<string[]> {
  const cleanup = await run.container.dispose();
  const timers = clearDocTimers();
  // Reading every process's environment costs ~5 ms: only a doc that started one pays it.
  const processes = run.release() > 0 ? await sweepRun(run.request.runId) : 0;
  run.runtime.bindings.restore();
  const leftover = await leftoverResources(run.state);
  restoreDocState(run.state);
  run.result.cleanedUp.push(...cleanup.cleaned, ...countNouns([...timers, ...Array<string>(processes).fill('process'), ...leftover]));
  run.result.warnings.push(...cleanup.errors.map(({ label, error }) => `cleanup of ${label} failed: ${String((error as Error)?.message ?? error)}`));
  const dirty: string[] = [];
  if (leftover.length) dirty.push(`it still holds ${countNouns(leftover).join(', ')}`);
  if (cleanup.errors.length) dirty.push('a cleanup failed');
  if (run.importedModules) dirty.push('the doc loaded modules');
  const changedIdentity = identityChange(run.state);
  if (changedIdentity) dirty.push(changedIdentity);
  if (run.faults.fault || run.timedOut) dirty.push('a block timed out or faulted');
  return dirty;
}

/** The finish phase: the doc's status from its blocks, its leaks (--strict-leaks) and a fault no block carried. */
export function finishStatus(run: DocRun): void {
  const { result } = run;
  if (run.request.options.strictLeaks && result.cleanedUp.length && !run.failed) {
    run.failed = true;
    result.error = { message: `The doc left things running that runbook had to clean up: ${result.cleanedUp.join(', ')} (--strict-leaks). Stop them in the doc, e.g. in an 'always' block.`, code: 'RUNBOOK_LEAKED' };
  }
  const { fault } = run.faults;
  if (fault && run.faults.pending && !run.failed) {
    run.failed = true;
    result.error = reportFor(run, fault.error);
    result.error.message = `${fault.origin} after the last block: ${result.error.message}`;
  }
  result.status = run.failed ? 'failed' : run.skippedBecause || run.stopped ? 'skipped' : 'passed';
  if (run.stopped && !run.failed) result.skipReason = `${stoppedReason} (quit)`;
  else if (result.status === 'skipped') result.skipReason = run.skippedBecause;
}
