import { readdirSync, readFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';

/**
 * Every doc run gets an id that its child processes inherit through the
 * environment (RUNBOOK_RUN_ID). Whatever a doc started — through the process
 * manager or straight from node:child_process, daemonised or not — can then be
 * found and killed after the doc, even once it was re-parented away from us.
 * Linux only (/proc); elsewhere the sweep finds nothing and process groups are
 * the only net.
 */
export const RUN_ID_VARIABLE = 'RUNBOOK_RUN_ID';

export function newRunId(): string {
  return randomUUID();
}

/** PIDs (other than this process) whose environment carries the run id. */
export function findMarkedProcesses(runId: string): number[] {
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return [];
  }
  const marker = `${RUN_ID_VARIABLE}=${runId}`;
  const found: number[] = [];
  for (const entry of entries) {
    const pid = Number(entry);
    if (!Number.isInteger(pid) || pid === process.pid) continue;
    try {
      // Entries are NUL-separated; the marker is a whole entry.
      const environ = readFileSync(`/proc/${pid}/environ`, 'latin1');
      if (environ.includes(`\0${marker}\0`) || environ.startsWith(`${marker}\0`) || environ.endsWith(`\0${marker}`)) found.push(pid);
    } catch {
      // Gone meanwhile, or not ours to read.
    }
  }
  return found;
}

function kill(pid: number, signal: NodeJS.Signals): boolean {
  try {
    process.kill(pid, signal);
    return true;
  } catch {
    return false;
  }
}

/**
 * Kills every process still carrying the run id, with its process group when it
 * leads one. Returns how many processes were found alive.
 */
export async function sweepRun(runId: string): Promise<number> {
  let marked = findMarkedProcesses(runId);
  if (marked.length === 0) return 0;
  // Processes told to stop a moment ago may still be on their way out.
  await new Promise((resolve) => setTimeout(resolve, 50));
  marked = findMarkedProcesses(runId);
  for (const pid of marked) {
    kill(-pid, 'SIGKILL');
    kill(pid, 'SIGKILL');
  }
  return marked.length;
}

/** The synchronous form, for signal handlers and exit hooks. */
export function sweepRunSync(runId: string): number {
  const marked = findMarkedProcesses(runId);
  for (const pid of marked) {
    kill(-pid, 'SIGKILL');
    kill(pid, 'SIGKILL');
  }
  return marked.length;
}
