import { dirname } from 'node:path';
import { inspect } from 'node:util';
import type { EvaluationLimit } from '../../engine/doc-evaluator.js';
import { runbookError } from '../../errors.js';
import type { Block } from '../../markdown/document.js';
import { effectiveEvalMode, planBlock } from '../block-plan.js';
import { executorNow, type ExecutedBlock } from '../executor-protocol.js';
import { judgeError } from '../judge-error.js';
import { blockIdentity } from '../results.js';
import type { StreamName } from '../output-stream.js';
import { runShellBlock } from '../run-shell.js';
import { blockTimeout, timeoutError, type BlockLimit } from '../limits.js';
import { reportFor, stoppedReason, type DocRun } from './doc-run.js';

function baseOf(block: Block): ExecutedBlock {
  const base: ExecutedBlock = blockIdentity(block) as ExecutedBlock;
  base.status = 'passed';
  return base;
}

function record(run: DocRun, block: ExecutedBlock, expectsVerdict = false, marked: StreamName[] = []): void {
  run.link.send({ type: 'block-end', result: block, expectsVerdict, marked, at: executorNow() });
}

/** True when the block ends within this turn of the event loop: compiled, and it never awaits. */
function endsThisTurn(run: DocRun, block: Block): boolean {
  const code = block.kind === 'code' ? run.code.get(block.index) : undefined;
  return code !== undefined && 'parts' in code && !code.parts.isAsync;
}

/** Why a block that would run does not, or undefined when it runs. */
function notRunReason(run: DocRun, block: Block): string | undefined {
  if (run.stopped) return stoppedReason;
  if ((run.failed || run.skippedBecause) && !block.tokens.always) return run.skippedBecause ? 'the doc was skipped' : 'an earlier block failed';
  return undefined;
}

/** Asks the supervisor whether to run the block (--step); false when it is not to run. */
async function stepAllows(run: DocRun, block: Block): Promise<boolean> {
  run.link.send({ type: 'ask', index: block.index });
  const { decision } = await run.link.next('decision');
  if (decision === 'run') return true;
  run.stopped = decision === 'quit';
  record(run, run.stopped ? { ...baseOf(block), status: 'not-run', reason: stoppedReason } : { ...baseOf(block), status: 'skipped', reason: 'skipped at the --step prompt' });
  return false;
}

/** The run-blocks phase: every code and shell block in order, each reported as it ends. */
export async function runBlocks(run: DocRun): Promise<void> {
  const { doc, request } = run;
  const mode = effectiveEvalMode(doc, request.options.evalMode);
  const only = request.only && new Set(request.only);
  for (const block of doc.blocks) {
    if (block.kind === 'other' || block.kind === 'output') continue;
    if (only && !only.has(block.index)) continue;
    const plan = planBlock(block, doc, mode, request.options);
    if (!plan.run) {
      record(run, { ...baseOf(block), status: 'skipped', reason: plan.reason });
      continue;
    }
    const reason = notRunReason(run, block);
    if (reason) {
      record(run, { ...baseOf(block), status: 'not-run', reason });
      continue;
    }
    const limit = blockTimeout(block, doc, request.options, run.docDeadline);
    if (request.step && !(await stepAllows(run, block))) continue;
    run.ranAny = true;
    await executeBlock(run, block, limit, !request.step);
  }
}

/** Runs one block (marked in the output streams) and reports its result. */
export async function executeBlock(run: DocRun, block: Block, limit: BlockLimit, announce: boolean): Promise<ExecutedBlock> {
  const result: ExecutedBlock = baseOf(block);
  // A fault from between blocks is an `always` block's business only to report once, on the doc: the block still runs.
  if (run.faults.pending && block.tokens.always) reportFaultOnDoc(run);
  run.link.send({ type: 'block-start', index: block.index, timeoutMs: limit.ms, announce, at: executorNow() });
  const endsNow = endsThisTurn(run, block);
  // A block that waits lets timers and callbacks run first: the supervisor hears of it now, not at the turn's end.
  if (!endsNow) run.link.flush();
  run.link.marks.start(block.index);
  const started = performance.now();
  try {
    // A block that never waits is over before a fault could come in to interrupt it: it runs without that race.
    const { value } = endsNow ? await evaluateBlock(run, block, limit) : await run.faults.during((interrupt) => evaluateBlock(run, block, limit, interrupt));
    if (block.tokens.throws) throw runbookError('RUNBOOK_EXPECTED_THROW', `The fence says 'throws' but the block completed without throwing.`);
    if (value !== undefined && !block.tokens.silent) result.value = inspect(value, { depth: 4, breakLength: 100 });
  } catch (error) {
    judge(run, block, result, error);
  }
  result.durationMs = Math.round(performance.now() - started);
  const marked = (run.lastMarked = run.link.marks.end());
  const expectsVerdict = result.status === 'passed' && block.expectedOutput !== undefined;
  record(run, result, expectsVerdict, marked);
  if (expectsVerdict && (await run.link.next('verdict')).failed) {
    result.status = 'failed';
    run.failed = true;
  }
  return result;
}

/** Settles a block that threw: skipped doc, expected error, or failure. */
function judge(run: DocRun, block: Block, result: ExecutedBlock, error: unknown): void {
  const verdict = judgeError(error, block.tokens, run.faults.fault);
  run.faults.claim(error);
  if (verdict.kind === 'skip-doc') {
    run.skippedBecause = verdict.reason;
    result.status = 'skipped';
    result.reason = verdict.reason;
  } else if (verdict.kind === 'expected') {
    result.value = verdict.value;
  } else {
    result.status = verdict.status;
    run.timedOut ||= verdict.status === 'timed-out';
    result.error = reportFor(run, error, block);
    result.error.message = verdict.rewrite(result.error.message);
    run.failed = true;
  }
}

async function evaluateBlock(run: DocRun, block: Block, limit: BlockLimit, interrupt?: Promise<never>): Promise<{ value: unknown }> {
  // A fault that came before the block starts is the block's own failure.
  if (run.faults.pending) throw run.faults.fault!.error;
  if (block.kind === 'shell') {
    const shell = runShellBlock(block, { cwd: dirname(run.absolute), env: process.env, timeoutMs: limit.ms });
    await (interrupt ? Promise.race([shell, interrupt]) : shell);
    return { value: undefined };
  }
  const code = run.code.get(block.index);
  if (!code) throw new Error(`internal error: block ${block.index} was not compiled`);
  if ('error' in code) throw code.error;
  const evaluationLimit: EvaluationLimit = { ms: limit.ms, expired: () => timeoutError(limit, run.request.options.docTimeout) };
  return run.evaluator.run(block, code.parts, evaluationLimit, interrupt);
}

/** Reports a fault that came between blocks on the doc itself (once). */
function reportFaultOnDoc(run: DocRun): void {
  const { fault } = run.faults;
  run.faults.reported = true;
  run.failed = true;
  run.result.error = reportFor(run, fault!.error);
  run.result.error.message = `${fault!.origin} between blocks: ${run.result.error.message}`;
}
