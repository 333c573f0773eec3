import { DocSession } from '../runner/doc-session.js';
import type { SuperviseHooks } from '../runner/schedule/supervise-doc.js';
import type { RunEvents } from '../runner/events.js';
import type { ReporterName } from '../runner/reporters/index.js';
import { installInterruptHandlers } from '../runner/interrupt.js';
import { runDocs } from '../runner/run.js';
import type { RunOptions } from '../runner/run-options.js';
import { usageError } from './usage-error.js';

/** The interactive flags of `runbook run`. */
export interface InteractiveFlags {
  console?: boolean;
  step?: boolean;
  watch?: boolean;
}

export interface InteractiveRun {
  files: string[];
  options: RunOptions;
  reporters: ReporterName[];
  /** Fresh reporters for each run (--watch runs many times). */
  makeEvents(): RunEvents;
}

export function isInteractive(flags: InteractiveFlags): boolean {
  return Boolean(flags.console || flags.step || flags.watch);
}

// A prompt nobody can answer would hang a CI job: refuse before anything runs.
function requireTerminal(flag: string, what: string): void {
  if (process.stdin.isTTY && process.stdout.isTTY) return;
  const which = !process.stdin.isTTY ? 'stdin is not a terminal' : 'stdout is not a terminal';
  throw usageError(`${flag} needs a terminal (${which}): it ${what}. Run it in a terminal, or drop ${flag} (e.g. in CI).`);
}

/** Throws a usage error (exit 2) for flag combinations and environments that cannot work. */
export function checkInteractive(flags: InteractiveFlags, files: string[]): void {
  if (flags.watch && (flags.console || flags.step)) {
    throw usageError(`--watch cannot be combined with ${flags.console ? '--console' : '--step'}: a watched doc re-runs on every save. Use one of them.`);
  }
  if (flags.console) {
    if (files.length !== 1) {
      const shown = files.slice(0, 3).join(', ') + (files.length > 3 ? ', …' : '');
      throw usageError(`--console opens a REPL for one doc, but ${files.length} docs matched (${shown}). Name one doc.`);
    }
    requireTerminal('--console', 'opens a REPL after the doc runs');
  }
  if (flags.step) requireTerminal('--step', 'asks before each block whether to run it');
}

/** Runs `runbook run` with --console, --step or --watch; returns the exit code. */
export async function runInteractive(flags: InteractiveFlags, run: InteractiveRun): Promise<number> {
  checkInteractive(flags, run.files);
  if (flags.watch) {
    const { watchDocs } = await import('./watch.js');
    return watchDocs(run.files, run.options, run.makeEvents);
  }
  installInterruptHandlers();
  const io = { input: process.stdin, output: process.stdout };
  const hooks: SuperviseHooks = {};
  let session: DocSession | undefined;
  if (flags.step) {
    const { stepPrompt } = await import('./step.js');
    hooks.beforeBlock = stepPrompt(io, !run.reporters.includes('literate'));
  }
  if (flags.console) hooks.keepAlive = (executor, doc) => (session = new DocSession(executor, doc, run.files[0], { ...process.env, ...run.options.env }));
  const result = await runDocs(run.files, run.options, run.makeEvents(), { hooks });
  if (flags.console) {
    const doc = result.docs[0];
    if (!session || !doc) {
      process.stderr.write(`runbook: no console: ${doc?.status === 'skipped' ? `the doc was skipped (${doc.skipReason ?? 'no reason given'})` : 'the doc could not be run'}, so it has no context to open.\n`);
    } else {
      const { openConsole } = await import('./repl.js');
      await openConsole(session, doc, io);
    }
  }
  return result.failed > 0 ? 1 : 0;
}
