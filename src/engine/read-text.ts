import { isAscii } from 'node:buffer';
import { readFileSync } from 'node:fs';

/**
 * A UTF-8 file's text. Node 20 decodes UTF-8 through one more full-size copy
 * than Latin-1, and a file that is all ASCII reads the same either way: so
 * such a file is read as Latin-1. It matters for large files read on every
 * run (the bundle, a long doc's cache entry): each fresh page of memory costs
 * a page fault, and on some machines (VMs) a fault costs as much as copying
 * the page many times over (reading the 1.8 MB bundle: 1,410 faults and 22 ms
 * as UTF-8, 960 and 13 ms this way, measured).
 */
export function readTextFile(path: string): string {
  return readTextParts(path, 1)[0]!;
}

/**
 * A UTF-8 file's text as its first `lines - 1` lines and the rest, each a
 * string of its own (read as readTextFile reads): slices of one string would
 * keep all of it alive as long as any slice is. Fewer parts when the file has
 * fewer lines.
 */
export function readTextParts(path: string, lines: number): string[] {
  const bytes = readFileSync(path);
  const encoding = isAscii(bytes) ? 'latin1' : 'utf8';
  const parts: string[] = [];
  let start = 0;
  while (parts.length < lines - 1) {
    const newline = bytes.indexOf(0x0a, start); // never part of a longer UTF-8 sequence
    if (newline === -1) break;
    parts.push(bytes.toString(encoding, start, newline));
    start = newline + 1;
  }
  parts.push(bytes.toString(encoding, start));
  return parts;
}
