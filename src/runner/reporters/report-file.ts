import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

/**
 * Writes a machine-readable report to `file` (creating its folders), or to
 * stdout when no file was given.
 */
export function writeReport(text: string, file?: string): void {
  if (!file) {
    process.stdout.write(text);
    return;
  }
  const path = resolve(file);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
}
