type FaultSink = (error: unknown, origin: 'uncaught exception' | 'unhandled rejection') => void;

let sink: FaultSink | undefined;
let installed = false;

/**
 * Routes uncaught exceptions and unhandled rejections (a throw in a doc's timer
 * or event handler) to the doc that is running, instead of crashing the runner.
 * Returns a function that stops routing to this sink.
 */
export function trapFaults(next: FaultSink): () => void {
  if (!installed) {
    installed = true;
    const outsideAnyDoc = (what: string, error: unknown) => {
      process.exitCode = 1;
      try {
        // If stderr itself is what failed, writing to it would only fail again, forever.
        if (!process.stderr.destroyed) process.stderr.write(`runbook: ${what} outside any doc: ${String((error as Error)?.stack ?? error)}\n`);
      } catch {
        // Nowhere left to say it.
      }
    };
    process.on('uncaughtException', (error) => (sink ? sink(error, 'uncaught exception') : outsideAnyDoc('uncaught exception', error)));
    process.on('unhandledRejection', (reason) => (sink ? sink(reason, 'unhandled rejection') : outsideAnyDoc('unhandled rejection', reason)));
  }
  // A doc that runs another doc (runRunbook) gets its own faults back when the inner one ends.
  const previous = sink;
  sink = next;
  return () => {
    if (sink === next) sink = previous;
  };
}
