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
    process.on('uncaughtException', (error) => {
      if (sink) sink(error, 'uncaught exception');
      else {
        process.stderr.write(`runbook: uncaught exception outside any doc: ${String((error as Error)?.stack ?? error)}\n`);
        process.exitCode = 1;
      }
    });
    process.on('unhandledRejection', (reason) => {
      if (sink) sink(reason, 'unhandled rejection');
      else {
        process.stderr.write(`runbook: unhandled rejection outside any doc: ${String((reason as Error)?.stack ?? reason)}\n`);
        process.exitCode = 1;
      }
    });
  }
  // A doc that runs another doc (runRunbook) gets its own faults back when the inner one ends.
  const previous = sink;
  sink = next;
  return () => {
    if (sink === next) sink = previous;
  };
}
