import { createRequire, syncBuiltinESMExports } from 'node:module';
import { runbookError } from '../../errors.js';
import { RUN_ID_VARIABLE } from '../process-sweep.js';

// An executor runs docs in its own main realm, with the real `process`. These
// guards keep a doc from ending the executor mid-report and mark every process
// a doc starts, even one given a cleared environment, so that it can be found
// and killed when the doc ends.

const nodeRequire = createRequire(import.meta.url);

interface Guarded {
  /** The running doc's run id: spawned processes carry it. */
  runId?: string;
  /** Processes started (by this process) while the doc ran: none means there is nothing to sweep. */
  spawns: number;
  /** Told when the doc tries to end the process. */
  onFault?: (error: Error) => void;
  /** Told before the doc starts a process (it may print straight to the inherited streams). */
  onSpawn?: () => void;
}

const current: Guarded = { spawns: 0 };

function refuse(call: string): never {
  const error = runbookError('RUNBOOK_DOC_FAULT', `The doc called ${call}: a doc cannot end the process that runs it. Throw an error to fail the doc instead.`);
  current.onFault?.(error);
  throw error;
}

function withMarker(env: unknown): unknown {
  if (!current.runId || !env || typeof env !== 'object' || (env as Record<string, unknown>)[RUN_ID_VARIABLE] !== undefined) return env;
  return { ...(env as Record<string, unknown>), [RUN_ID_VARIABLE]: current.runId };
}

// spawnSync, execSync and execFileSync take their options last; only an explicit env needs the marker added.
function markSyncOptions(args: unknown[]): unknown[] {
  let at = args.length - 1;
  while (at >= 0 && (args[at] === null || typeof args[at] !== 'object' || Array.isArray(args[at]))) at--;
  if (at === -1 || !('env' in (args[at] as object))) return args;
  const copy = [...args];
  copy[at] = { ...(args[at] as object), env: withMarker((args[at] as { env?: unknown }).env) };
  return copy;
}

let installed = false;

/** Installs the guards once per process; they act only while a doc runs (see guardDoc). */
export function installProcessGuards(): void {
  if (installed) return;
  installed = true;
  const realExit = process.exit;
  const realAbort = process.abort;
  process.exit = function exit(code?: number | string | null) {
    if (current.onFault) refuse(`process.exit(${code ?? ''})`);
    return Reflect.apply(realExit, process, [code]) as never;
  } as typeof process.exit;
  process.abort = function abort() {
    if (current.onFault) refuse('process.abort()');
    return Reflect.apply(realAbort, process, []) as never;
  };

  const childProcess = nodeRequire('node:child_process') as Record<string, (...args: unknown[]) => unknown> & {
    ChildProcess: { prototype: { spawn: (options: { envPairs?: string[] }) => unknown } };
  };
  // Every asynchronous spawn (spawn, exec, execFile, fork, execa) passes here with its final environment.
  const prototype = childProcess.ChildProcess.prototype;
  const realSpawn = prototype.spawn;
  prototype.spawn = function spawn(this: unknown, options: { envPairs?: string[] }) {
    const runId = current.runId;
    if (runId) {
      current.spawns++;
      current.onSpawn?.();
    }
    if (runId && Array.isArray(options?.envPairs) && !options.envPairs.some((pair) => pair.startsWith(`${RUN_ID_VARIABLE}=`))) {
      options.envPairs.push(`${RUN_ID_VARIABLE}=${runId}`);
    }
    return Reflect.apply(realSpawn, this, [options]);
  };
  for (const name of ['spawnSync', 'execSync', 'execFileSync']) {
    const real = childProcess[name]!;
    childProcess[name] = { [name](this: unknown, ...args: unknown[]) {
      if (!current.runId) return Reflect.apply(real, this, args);
      current.spawns++;
      current.onSpawn?.();
      return Reflect.apply(real, this, markSyncOptions(args));
    } }[name]!;
  }
  syncBuiltinESMExports();
}

/** Arms the guards for one doc; returns the function that disarms them and says how many processes the doc started. */
export function guardDoc(runId: string, onFault: (error: Error) => void, onSpawn?: () => void): () => number {
  current.runId = runId;
  current.onFault = onFault;
  current.onSpawn = onSpawn;
  current.spawns = 0;
  return () => {
    current.runId = undefined;
    current.onFault = undefined;
    current.onSpawn = undefined;
    return current.spawns;
  };
}
