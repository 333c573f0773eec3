/**
 * A value made on first use. zod schemas are costly to build (each is dozens
 * of objects), and a run builds few of the many its features declare: built
 * at module load, they were most of the features' share of start-up.
 */
export function lazy<T>(make: () => T): () => T {
  let made: { value: T } | undefined;
  return () => (made ??= { value: make() }).value;
}
