import { messageOf } from '../../errors.js';
import { reportFor, type SupervisorLink } from '../doc/doc-run.js';
import { executeDoc } from '../doc/execute-doc.js';
import type { DocDone, ExecutorMessage, FromExecutor, RunRequest, ToExecutor } from '../executor-protocol.js';
import { trapFaults } from '../fault-trap.js';
import { registerFd, RegisterWriter } from '../progress-register.js';
import { exitWhenOutputCloses, installInterruptHandlers, shutdown, whileRunning } from '../interrupt.js';
import { sweepRunSync } from '../process-sweep.js';
import { BlockMarks } from './block-marks.js';
import { createSupervisorChannel, type SupervisorChannel } from './supervisor-channel.js';
import { ProcessBaseline } from './clean-state.js';
import { serveConsole, type OpenDoc } from './console-service.js';
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

/** The executor's end of the conversation, on process.send as it was before any doc ran. */
function openChannel(): SupervisorChannel & { marks: BlockMarks } {
  const channel = createSupervisorChannel(process.send!.bind(process) as (message: ExecutorMessage, written: () => void) => boolean);
  // A block's first output waits for the supervisor to hear that the block started: it is shown as it comes.
  return { ...channel, marks: new BlockMarks(channel.secret, channel.flush) };
}

/** The report of a doc that broke the executor's own code (a patched built-in it relies on): it still gets one. */
function brokenExecutorDone(path: string, error: unknown): DocDone {
  const result = { path, title: path, tags: [], status: 'failed' as const, durationMs: 0, blocks: [], cleanedUp: [], stamped: false, warnings: [] };
  const failure = { message: `The doc left its executor unable to go on: ${messageOf(error)}`, code: 'RUNBOOK_EXECUTOR_FAILED' };
  return { type: 'done', result: { ...result, error: failure }, ranAny: true, stopped: false, dirty: ['the executor could not finish the doc'] };
}

/**
 * Serves as an executor process (started by schedule/executor.ts).
 * `saveCodeCache` writes the loader's code cache if it has none yet.
 */
export function executorMain(saveCodeCache: () => void = () => {}): void {
  const { send, flush, holdPastTurn, written, marks, setSecret, useRegister, beginRun } = openChannel();
  installInterruptHandlers();
  exitWhenOutputCloses();
  installDocTimers();
  installProcessGuards();
  trapFaults(() => {})(); // installs its process listeners now, so that the baseline holds them
  // The supervisor is gone (or done with us): clean up the doc in flight, if any, and leave.
  process.on('disconnect', () => shutdown(0));
  let baseline: ProcessBaseline;

  const waiting = new Map<ToExecutor['type'], (message: ToExecutor) => void>();
  const link: SupervisorLink = {
    send,
    flush,
    holdPastTurn,
    written,
    next: (type) => {
      flush(); // the supervisor answers what it has seen
      return new Promise((resolve) => waiting.set(type, resolve as (message: ToExecutor) => void));
    },
    marks,
  };
  let open: OpenDoc | undefined;

  const runDoc = async (request: RunRequest): Promise<DocDone> => {
    const { done, run } = await executeDoc(request, link);
    if (run) {
      const { InputEvaluator } = await import('../doc/input-evaluator.js'); // only --console keeps a doc open
      open = { run, evaluator: new InputEvaluator(run) };
      run.faults.listener = (error, origin) => send({ type: 'late-fault', origin, error: reportFor(run, error) });
      return done;
    }
    // By index, not push: the doc may have replaced Array.prototype.push, and then this is how we know.
    const dirty = done.dirty;
    try {
      const problems = baseline.restore();
      for (let i = 0; i < problems.length; i++) dirty[dirty.length] = problems[i]!;
    } catch (error) {
      dirty[dirty.length] = `the doc broke the executor's own checks (${messageOf(error)})`;
    }
    return done;
  };

  process.on('message', (message: ToExecutor) => {
    switch (message.type) {
      case 'hello':
        if (message.register) useRegister(new RegisterWriter(registerFd));
        return setSecret(message.marker);
      case 'warm':
        return void warmUp();
      case 'run': {
        beginRun(message.registerEpoch);
        // On SIGTERM mid-doc: kill what the doc started before leaving.
        const stopWatching = whileRunning(() => sweepRunSync(message.runId));
        return void runDoc(message).then(
          (done) => {
            stopWatching();
            // After a doc, so that the cache holds what running one compiles; before 'done', as the supervisor may kill us then.
            saveCodeCache();
            const marked = open ? undefined : marks.docEnd();
            if (marked) done.marked = marked;
            send(done);
          },
          (error: unknown) => {
            stopWatching();
            send(brokenExecutorDone(message.path, error));
          },
        );
      }
      case 'verdict':
      case 'decision': {
        const resolve = waiting.get(message.type);
        waiting.delete(message.type);
        return resolve?.(message);
      }
      default:
        return void serveConsole(open, message, send, marks, () => (open = undefined));
    }
  });
  send({ type: 'ready' });
  // Taken after 'ready' is on its way, while the supervisor answers with the first doc: no doc runs before it.
  baseline = new ProcessBaseline();
}
