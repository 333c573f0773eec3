import { spawn, type ChildProcess } from 'node:child_process';

// A runner killed outright (SIGKILL, a crash) cannot stop its executors. An
// idle or waiting executor notices its channel close and cleans up (see
// executor-main.ts); one whose doc never gives control back cannot notice
// anything, and would spin for ever. So a run that lasts gets a guard: a shell
// reading, from a pipe only the runner holds, the process groups of the
// runner's executors as they come and go. When the runner is gone the pipe
// closes, and after a second's grace (the cleanup of a responsive executor)
// the guard kills the groups it still holds. It starts only once a run has
// lasted a second: a short run costs no process, and a doc that spins lasts.

const guardScript = [
  'groups=',
  'while read -r line; do',
  '  case $line in',
  '    -*) kept=; for group in $groups; do [ "$group" = "${line#-}" ] || kept="$kept $group"; done; groups=$kept ;;',
  '    *) groups="$groups $line" ;;',
  '  esac',
  'done',
  'sleep 1',
  'for group in $groups; do kill -s KILL -- "-$group" 2>/dev/null; done',
].join('\n');

/** When the guard starts: after the runner's first executor has lasted this long. */
const guardAfterMs = 1000;

class ExecutorGuard {
  readonly #groups = new Set<number>();
  #guard: ChildProcess | undefined;
  #timer: NodeJS.Timeout | undefined;

  /** Guards the process group led by `pid` (an executor's: it leads a group of its own). */
  watch(pid: number): void {
    this.#groups.add(pid);
    if (this.#guard) this.#tell(`${pid}`);
    else if (!this.#timer && process.platform !== 'win32') {
      this.#timer = setTimeout(() => this.#start(), guardAfterMs);
      this.#timer.unref();
    }
  }

  /** An executor that is gone or being stopped: the guard must not kill a group that reuses its number. */
  forget(pid: number): void {
    if (this.#groups.delete(pid)) this.#tell(`-${pid}`);
  }

  #tell(line: string): void {
    this.#guard?.stdin?.write(`${line}\n`);
  }

  #start(): void {
    if (this.#groups.size === 0) {
      this.#timer = undefined; // nothing to guard now: the next executor starts the clock again
      return;
    }
    try {
      // Detached: a group of its own, so that killing an executor's group, or Ctrl-C, does not reach it.
      this.#guard = spawn('/bin/sh', ['-c', guardScript, 'runbook-executor-guard'], { stdio: ['pipe', 'ignore', 'ignore'], detached: true });
    } catch {
      return; // no guard: executors are still stopped by every runner that lives to do it
    }
    const guard = this.#guard;
    guard.on('error', () => {});
    guard.stdin!.on('error', () => {});
    // Held open, never ended: the pipe closes when this process ends, however it ends. Neither keeps it alive.
    guard.unref();
    (guard.stdin as unknown as { unref?: () => void }).unref?.();
    // A runner that ends normally has stopped its executors: the guard goes with it.
    process.once('exit', () => guard.kill('SIGKILL'));
    for (const group of this.#groups) this.#tell(`${group}`);
  }
}

/** The one guard of this process's executors. */
export const executorGuard = new ExecutorGuard();
