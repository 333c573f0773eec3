import { randomBytes } from 'node:crypto';
import { messageOf } from '../../errors.js';
import { closeDoc } from '../doc/close-doc.js';
import { reportFor, type DocRun, type SupervisorLink } from '../doc/doc-run.js';
import { executeDoc } from '../doc/execute-doc.js';
import { executeBlock } from '../doc/run-blocks.js';
import { blockTimeout } from '../doc/block-timeout.js';
import type { InputEvaluator } from '../doc/input-evaluator.js';
import type { FromExecutor, SessionRequest, ToExecutor } from '../executor-protocol.js';
import { trapFaults } from '../fault-trap.js';
import { exitWhenOutputCloses, installInterruptHandlers, shutdown, whileRunning } from '../interrupt.js';
import { inputMark } from '../output-marks.js';
import { BlockMarks } from './block-marks.js';
import { sweepRunSync } from '../process-sweep.js';
import { ProcessBaseline } from './clean-state.js';
import { installDocTimers } from './doc-timers.js';
import { installProcessGuards } from './process-guards.js';

// An executor: a process the supervisor starts to run docs, one at a time, in
// this process's own realm. What it needs to talk to the supervisor is taken
// before any doc runs, so a doc that replaces process.send or
// process.stdout.write cannot silence or forge the conversation.

// Loaded before any doc runs, so that esbuild's own process never carries a doc's run id.
async function warmUp(): Promise<void> {
  try {
    await import('../../markdown/parse.js');
    (await import('../../engine/transpile.js')).transpile('0', 'ts', 'warm-up');
  } catch {
    // Only a head start: the doc loads them itself.
  }
}

/**
 * Serves as an executor process (started by schedule/executor.ts).
 * `saveCodeCache` writes the loader's code cache if it has none yet.
 */
export function executorMain(saveCodeCache: () => void = () => {}): void {
  const rawSend = process.send!.bind(process) as (message: FromExecutor & { token?: string }) => boolean;
  let secret = randomBytes(8).toString('hex');
  // Every message carries the secret the supervisor sent first: one a doc sends with process.send does not count.
  const send = (message: FromExecutor): boolean => rawSend({ ...message, token: secret });
  const marks = new BlockMarks(() => secret);
  installInterruptHandlers();
  exitWhenOutputCloses();
  installDocTimers();
  installProcessGuards();
  trapFaults(() => {})(); // installs its process listeners now, so that the baseline holds them
  // The supervisor is gone (or done with us): clean up the doc in flight, if any, and leave.
  process.on('disconnect', () => shutdown(0));
  const baseline = new ProcessBaseline();

  const waiting = new Map<ToExecutor['type'], (message: ToExecutor) => void>();
  const link: SupervisorLink = {
    send: (message) => void send(message),
    next: (type) => new Promise((resolve) => waiting.set(type, resolve as (message: ToExecutor) => void)),
    marks,
  };
  let session: { run: DocRun; evaluator: InputEvaluator } | undefined;

  const serve = async (request: SessionRequest): Promise<void> => {
    if (!session) return void send({ type: 'reply', id: request.id, error: { message: 'No doc is open in this executor.' } });
    const { run, evaluator } = session;
    switch (request.type) {
      case 'eval': {
        // Marked like a block, so that the console shows what the input printed before its value.
        marks.start(inputMark(request.id));
        try {
          const value = await evaluator.evaluate(request.code);
          send({ type: 'reply', id: request.id, marked: marks.end(), value: evaluator.show(value, request.colors) });
        } catch (error) {
          send({ type: 'reply', id: request.id, marked: marks.end(), error: evaluator.report(error), incomplete: evaluator.isIncomplete(error) });
        }
        return;
      }
      case 'complete': {
        const { completeInContext } = await import('../../cli/repl-complete.js');
        send({ type: 'reply', id: request.id, completions: completeInContext(request.line, globalThis as unknown as Record<string, unknown>) });
        return;
      }
      case 'rerun': {
        const block = run.doc.blocks[request.index];
        if (!block || (block.kind !== 'code' && block.kind !== 'shell')) return void send({ type: 'reply', id: request.id, error: { message: `The doc has no code block with index ${request.index}.` } });
        run.faults.fault = undefined;
        const result = await executeBlock(run, block, blockTimeout(block, run.doc, run.request.options), false);
        send({ type: 'reply', id: request.id, block: result, marked: run.lastMarked });
        return;
      }
      case 'dispose': {
        session = undefined;
        await closeDoc(run);
        send({ type: 'reply', id: request.id, cleanup: { cleanedUp: run.result.cleanedUp, warnings: run.result.warnings } });
        return;
      }
    }
  };

  process.on('message', (message: ToExecutor) => {
    switch (message.type) {
      case 'hello':
        secret = message.marker;
        return;
      case 'warm':
        void warmUp();
        return;
      case 'run': {
        let stopWatching: (() => void) | undefined;
        void executeDoc(message, link).then(async ({ done, run }) => {
          stopWatching?.();
          if (run) {
            const { InputEvaluator } = await import('../doc/input-evaluator.js'); // only --console keeps a doc open
            session = { run, evaluator: new InputEvaluator(run) };
            run.faults.listener = (error, origin) => send({ type: 'late-fault', origin, error: reportFor(run, error) });
          } else {
            try {
              done.dirty.push(...baseline.restore());
            } catch (error) {
              done.dirty.push(`the doc broke the executor's own checks (${messageOf(error)})`);
            }
          }
          // After a doc, so that the cache holds what running one compiles; before 'done', as the supervisor may kill us then.
          saveCodeCache();
          send(done);
        }, (error: unknown) => {
          stopWatching?.();
          // A doc that broke the executor's own code (a patched built-in it relies on) still gets a report.
          const result = { path: message.path, title: message.path, tags: [], status: 'failed' as const, durationMs: 0, blocks: [], cleanedUp: [], stamped: false, warnings: [] };
          send({ type: 'done', result: { ...result, error: { message: `The doc left its executor unable to go on: ${messageOf(error)}`, code: 'RUNBOOK_EXECUTOR_FAILED' } }, ranAny: true, stopped: false, dirty: ['the executor could not finish the doc'] });
        });
        // On SIGTERM mid-doc: kill what the doc started before leaving.
        stopWatching = whileRunning(() => sweepRunSync(message.runId));
        return;
      }
      case 'verdict':
      case 'decision': {
        const resolve = waiting.get(message.type);
        waiting.delete(message.type);
        resolve?.(message);
        return;
      }
      default:
        void serve(message);
    }
  });
  send({ type: 'ready' });
}
