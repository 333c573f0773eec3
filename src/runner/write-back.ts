import { hasCode } from '../errors.js';
import { rewriteFile } from '../markdown/atomic-write.js';
import { stampText, type Stamp } from '../markdown/stamp.js';
import type { OutputUpdate } from './expected-output.js';

export interface WriteBackChange {
  stamp?: Stamp;
  updates: OutputUpdate[];
}

interface Outcome {
  /** null: write nothing. */
  text: string | null;
  warnings: string[];
  stamped: boolean;
}

// Applied to the file's current bytes, possibly more than once (when the file changes meanwhile, or after our own write).
function applyChange(bytes: Buffer, change: WriteBackChange, displayPath: string): Outcome {
  let text = bytes.toString('utf8');
  if (!Buffer.from(text, 'utf8').equals(bytes)) {
    return { text: null, stamped: false, warnings: [`${displayPath} is not valid UTF-8; not writing to it, so that no byte of it is changed.`] };
  }
  const warnings: string[] = [];
  for (const update of change.updates) {
    const at = text.indexOf(update.original);
    if (at === -1 || text.indexOf(update.original, at + 1) !== -1) {
      if (at === -1 && text.includes(update.replacement)) continue; // applied by an earlier attempt
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
      return { text: null, stamped: false, warnings: [(error as Error).message] }; // nothing is written: not the stamp, not the output updates
    }
  }
  return { text, warnings, stamped: change.stamp !== undefined };
}

/**
 * Writes the run's results into the doc: output fences from --update, then the
 * stamp. The file is read again right now (and again right before it is
 * replaced), so edits made while the doc ran are kept; an output fence that
 * moved or changed meanwhile is left alone (with a warning). Symlinks, hard
 * links, owner, group and mode are kept (see rewriteFile). Resolves to whether
 * the stamp was written.
 */
export async function writeBack(path: string, change: WriteBackChange, displayPath: string, warnings: string[]): Promise<boolean> {
  let outcome: Outcome = { text: null, warnings: [], stamped: false };
  const result = await rewriteFile(path, (bytes) => (outcome = applyChange(bytes, change, displayPath)).text);
  warnings.push(...outcome.warnings);
  if (result.lostEdit) {
    warnings.push(`${displayPath}: another program replaced the file while runbook was writing it; lines it had appended to the old copy could not be merged. Check the file.`);
  }
  if (result.busy) {
    warnings.push(`${displayPath} kept changing while runbook tried to write it; it was not stamped. Run it again when nothing else is writing to it.`);
    return false;
  }
  return outcome.stamped;
}
