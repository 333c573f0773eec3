// Apart from doc-size.ts, whose schema needs zod: the executor formats sizes without loading it.

/** "10 MB", "1.5 kB", "12 bytes": for messages. */
export function formatSize(bytes: number): string {
  if (bytes >= 1024 ** 2) return `${+(bytes / 1024 ** 2).toFixed(1)} MB`;
  if (bytes >= 1024) return `${+(bytes / 1024).toFixed(1)} kB`;
  return `${bytes} byte${bytes === 1 ? '' : 's'}`;
}
