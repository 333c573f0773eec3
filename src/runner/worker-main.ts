import { closeWatchdog } from '../engine/watchdog.js';
import type { RunEvents } from './events.js';
import { installInterruptHandlers } from './interrupt.js';
import type { DocResult } from './results.js';
import { runDoc } from './run-doc.js';
import type { FromWorker, ToWorker } from './worker-protocol.js';

// A worker process of the pool: runs the docs its parent sends, one at a time,
// and streams each doc's events back.

function send(message: FromWorker): void {
  process.send?.(message);
}

const forwarded: (keyof RunEvents)[] = ['onDocStart', 'onBlockStart', 'onBlockOutput', 'onBlockEnd'];
const events: RunEvents = Object.fromEntries(forwarded.map((hook) => [hook, (...args: unknown[]) => send({ type: 'event', hook, args })]));

function snapshotEnv(): string {
  return JSON.stringify(Object.entries(process.env).filter(([key]) => key !== 'RUNBOOK_RUN_ID').sort());
}

// A worker is reused only if the doc left the process as it found it.
function reusable(result: DocResult, cwd: string, env: string): boolean {
  if (process.cwd() !== cwd || snapshotEnv() !== env) return false;
  if (result.warnings.some((warning) => warning.startsWith('cleanup of'))) return false;
  return !result.blocks.some((block) => block.status === 'timed-out' || block.error?.code === 'RUNBOOK_DOC_FAULT') && !result.error;
}

installInterruptHandlers();
// The watchdog's inspector session would keep the process waiting at exit.
process.on('disconnect', () => void closeWatchdog().then(() => process.exit(0)));
process.on('message', (message: ToWorker) => {
  if (message.type !== 'run') return;
  const cwd = process.cwd();
  const env = snapshotEnv();
  void runDoc(message.path, message.options, events).then((result) => {
    send({ type: 'done', result, reusable: reusable(result, cwd, env) });
  });
});
send({ type: 'ready' });
