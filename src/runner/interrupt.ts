// The real exit, taken before any doc could replace process.exit.
const exitProcess: (code?: number) => never = process.exit.bind(process);

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

const signalNames: Record<keyof typeof exitCodes, string> = { SIGINT: 'Ctrl-C, SIGINT', SIGTERM: 'SIGTERM', SIGHUP: 'SIGHUP: the terminal went away' };

let shuttingDown = false;
let stoppedBy: string | undefined;

/** How this run is being stopped, for the reports: `Ctrl-C, SIGINT`, `SIGTERM`, or why the output went away. */
export function interruption(): string {
  return stoppedBy ?? 'the run was stopped';
}

/**
 * Ends the process after cleaning up every running doc (at most `graceMs`):
 * no stamp is written for a doc that did not finish. Safe to call twice.
 */
export function shutdown(code: number, graceMs = 3000): void {
  if (shuttingDown) return;
  shuttingDown = true;
  const pending = [...cleanups].map(async (cleanup) => {
    try {
      await cleanup();
    } catch {
      // Keep cleaning up the others.
    }
  });
  cleanups.clear();
  const deadline = new Promise((resolve) => setTimeout(resolve, graceMs).unref());
  void Promise.race([Promise.all(pending), deadline]).finally(() => exitProcess(code));
}

/**
 * A closed pipe (`runbook run … | head`), a parent that died, a terminal that
 * went away: stop after cleaning up, instead of failing every later write —
 * each failure would be one more uncaught error to report on the same stream.
 */
export function exitWhenOutputCloses(): void {
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EPIPE' || error.code === 'EIO' || error.code === 'ENOTCONN') {
        stoppedBy ??= `the output went away: ${error.code}`;
        shutdown(error.code === 'EPIPE' ? 141 : 129);
      } else throw error;
    });
  }
}

/** Installs the handlers once: clean up (at most `graceMs`), then exit 130/143/129. */
export function installInterruptHandlers(graceMs = 3000, onSignal?: (signal: NodeJS.Signals) => void): void {
  if (installed) return;
  installed = true;
  for (const signal of Object.keys(exitCodes) as (keyof typeof exitCodes)[]) {
    process.on(signal, () => {
      stoppedBy ??= signalNames[signal];
      try {
        // After a hang-up the terminal is gone: a farewell line may fail, the exit must not.
        if (signal !== 'SIGHUP') onSignal?.(signal);
      } catch {
        // Nothing to tell anyone.
      }
      shutdown(exitCodes[signal], graceMs);
    });
  }
}
