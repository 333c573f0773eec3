import { closeWatchdog } from '../engine/watchdog.js';

/**
 * What must happen if the runner is told to stop (SIGINT, SIGTERM) while docs
 * are running: each running doc registers its cleanup (dispose its container,
 * kill its processes) and nothing else — no stamp is written for a doc that
 * did not finish.
 */
const cleanups = new Set<() => Promise<unknown> | unknown>();
let installed = false;

export function whileRunning(cleanup: () => Promise<unknown> | unknown): () => void {
  cleanups.add(cleanup);
  return () => cleanups.delete(cleanup);
}

const exitCodes = { SIGINT: 130, SIGTERM: 143, SIGHUP: 129 } as const;

/** Installs the handlers once: clean up (at most `graceMs`), then exit 130/143/129. */
export function installInterruptHandlers(graceMs = 3000, onSignal?: (signal: NodeJS.Signals) => void): void {
  if (installed) return;
  installed = true;
  for (const signal of Object.keys(exitCodes) as (keyof typeof exitCodes)[]) {
    process.on(signal, () => {
      onSignal?.(signal);
      const pending = [...cleanups].map(async (cleanup) => {
        try {
          await cleanup();
        } catch {
          // Keep cleaning up the others.
        }
      });
      cleanups.clear();
      const deadline = new Promise((resolve) => setTimeout(resolve, graceMs).unref());
      void Promise.race([Promise.all(pending), deadline])
        .then(() => closeWatchdog())
        .then(() => process.exit(exitCodes[signal]));
    });
  }
}
