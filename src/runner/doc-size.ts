import { statSync } from 'node:fs';
import * as z from 'zod';

// A doc is read whole and parsed into a tree several times its size: a 50 MB
// file took 2.4 GB. Docs above a limit are refused before anything reads them.

/** The default limit: 10 MB. */
export const defaultMaxDocSize = 10 * 1024 * 1024;
/** The highest limit that can be set: 512 MB, about the longest string V8 holds. */
const highestLimit = 512 * 1024 * 1024;

const units: Record<string, number> = { '': 1, b: 1, k: 1024, kb: 1024, m: 1024 ** 2, mb: 1024 ** 2, g: 1024 ** 3, gb: 1024 ** 3 };

/** "10MB", "512kB", "1048576" → bytes (kB = 1024 bytes), or undefined when it is not a size. */
export function parseSize(text: string): number | undefined {
  const match = /^\s*(\d+(?:\.\d+)?)\s*([kmg]?b?)\s*$/i.exec(text);
  if (!match) return undefined;
  const bytes = Number(match[1]) * units[match[2]!.toLowerCase()]!;
  return Number.isFinite(bytes) ? Math.round(bytes) : undefined;
}

/** A size limit as written in a flag or config file: bytes (a number) or text with a unit. */
export const docSizeSchema = () =>
  z
    .union([z.number(), z.string()])
    .transform((value, context) => {
      const bytes = typeof value === 'number' ? value : parseSize(value);
      if (bytes === undefined || !Number.isInteger(bytes) || bytes < 1 || bytes > highestLimit) {
        context.addIssue({ code: 'custom', message: 'expected a size from 1 byte to 512MB, e.g. 10MB, 512kB or 1048576 (bytes)' });
        return z.NEVER;
      }
      return bytes;
    });

export { formatSize } from './format-size.js';

/** The docs larger than `limit` bytes, with their sizes. */
export function oversizedDocs(files: string[], limit: number): { path: string; bytes: number }[] {
  return files.map((path) => ({ path, bytes: statSync(path).size })).filter(({ bytes }) => bytes > limit);
}
