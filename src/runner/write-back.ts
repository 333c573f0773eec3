import { readFileSync } from 'node:fs';
import { hasCode } from '../errors.js';
import { writeFileAtomic } from '../markdown/atomic-write.js';
import { stampText, type Stamp } from '../markdown/stamp.js';
import type { OutputUpdate } from './expected-output.js';

/**
 * Writes the run's results into the doc: output fences from --update, then the
 * stamp. The file is read again right now, so edits made while the doc ran are
 * kept; an output fence that moved or changed meanwhile is left alone (with a
 * warning). Returns whether the stamp was written.
 */
export function writeBack(path: string, change: { stamp?: Stamp; updates: OutputUpdate[] }, displayPath: string, warnings: string[]): boolean {
  const bytes = readFileSync(path);
  let text = bytes.toString('utf8');
  if (!Buffer.from(text, 'utf8').equals(bytes)) {
    warnings.push(`${displayPath} is not valid UTF-8; not writing to it, so that no byte of it is changed.`);
    return false;
  }
  const before = text;
  for (const update of change.updates) {
    const at = text.indexOf(update.original);
    if (at === -1 || text.indexOf(update.original, at + 1) !== -1) {
      warnings.push(`${displayPath}: an output block changed while the doc ran; it was not updated. Run again with --update.`);
      continue;
    }
    text = text.slice(0, at) + update.replacement + text.slice(at + update.original.length);
  }
  if (change.stamp) {
    try {
      text = stampText(text, change.stamp, displayPath);
    } catch (error) {
      if (!hasCode(error, 'RUNBOOK_STAMP_REFUSED')) throw error;
      warnings.push((error as Error).message); // nothing is written: not the stamp, not the output updates
      return false;
    }
  }
  if (text !== before) writeFileAtomic(path, text);
  return change.stamp !== undefined;
}
