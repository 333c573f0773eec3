import { execFileSync } from 'node:child_process';

/** A sleep duration nobody else uses, so `ps` can find exactly our processes by it. */
export function uniqueMarker(): string {
  return `${800_000 + Math.floor(Math.random() * 100_000)}.${process.pid}${Math.floor(Math.random() * 1000)}`;
}

/** Live processes whose command line contains `marker` (zombies show no arguments, so they do not count). */
export function processesWith(marker: string): string[] {
  const lines = execFileSync('ps', ['-eo', 'pid,args'], { encoding: 'utf8' }).split('\n');
  return lines.filter((line) => line.includes(marker));
}

export async function waitUntil(check: () => boolean, timeoutMs = 5000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** Spawn arguments for a shell that leaves two grandchild sleeps tagged with `marker`. */
export function grandchildCommand(marker: string): [string, string[]] {
  return ['sh', ['-c', `sleep ${marker} & sleep ${marker}`]];
}
