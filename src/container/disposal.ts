/** Anything the container must clean up at the end of a doc. */
export interface Disposable {
  /** Names it in error messages, e.g. "server websocket". */
  label: string;
  /** What is still open, one singular noun each (e.g. ['interval']); counted in the cleanup report. */
  openResources?(): string[];
  dispose(): void | Promise<void>;
}

export interface DisposeReport {
  /** What was still open and had to be cleaned up, e.g. ["1 server", "2 processes"]. */
  cleaned: string[];
  /** Disposals that threw; the rest still ran. */
  errors: { label: string; error: unknown }[];
}

function plural(noun: string, count: number): string {
  if (count === 1) return noun;
  return /(s|x|ch|sh)$/.test(noun) ? `${noun}es` : `${noun}s`;
}

/** ['server', 'process', 'process'] → ['1 server', '2 processes'] */
export function countNouns(nouns: string[]): string[] {
  const counts = new Map<string, number>();
  for (const noun of nouns) counts.set(noun, (counts.get(noun) ?? 0) + 1);
  return [...counts].map(([noun, count]) => `${count} ${plural(noun, count)}`);
}
