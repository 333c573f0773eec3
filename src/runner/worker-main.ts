import type { RunEvents } from './events.js';
import { exitWhenOutputCloses, installInterruptHandlers, shutdown } from './interrupt.js';
import { isReusable, snapshotEnv } from './process-reuse.js';
import { runDoc } from './run-doc.js';
import type { FromWorker, ToWorker } from './worker-protocol.js';

// A worker process of the pool: runs the docs its parent sends, one at a time,
// and streams each doc's events back.

function send(message: FromWorker): void {
  process.send?.(message);
}

const forwarded: (keyof RunEvents)[] = ['onDocStart', 'onBlockStart', 'onBlockOutput', 'onBlockEnd'];
const events: RunEvents = Object.fromEntries(forwarded.map((hook) => [hook, (...args: unknown[]) => send({ type: 'event', hook, args })]));

/** Serves as a worker process of the pool (started by pool.ts). */
export function workerMain(): void {
  installInterruptHandlers();
  exitWhenOutputCloses();
  // The parent is gone (or done with us): clean up the doc in flight, if any, and leave.
  process.on('disconnect', () => shutdown(0));
  process.on('message', (message: ToWorker) => {
    if (message.type !== 'run') return;
    const cwd = process.cwd();
    const env = snapshotEnv();
    void runDoc(message.path, message.options, events).then((result) => {
      send({ type: 'done', result, reusable: isReusable(result, cwd, env) });
    });
  });
  send({ type: 'ready' });
}
