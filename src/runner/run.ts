import { closeWatchdog } from '../engine/watchdog.js';
import type { RunEvents } from './events.js';
import { summarize, type RunResult } from './results.js';
import { runDoc } from './run-doc.js';
import type { RunOptions } from './run-options.js';

/** Runs docs one after another in this process and reports as it goes. */
export async function runDocs(paths: string[], options: RunOptions, events: RunEvents = {}): Promise<RunResult> {
  const started = performance.now();
  events.onRunStart?.(paths);
  const results = [];
  try {
    for (const path of paths) {
      const result = await runDoc(path, options, events);
      results.push(result);
      if (options.bail && result.status === 'failed') break;
    }
  } finally {
    await closeWatchdog();
  }
  const run = summarize(results, Math.round(performance.now() - started));
  await events.onRunEnd?.(run);
  return run;
}
