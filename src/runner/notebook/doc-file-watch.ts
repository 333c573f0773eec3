import { readFileSync, watch, type FSWatcher } from 'node:fs';
import { basename, dirname } from 'node:path';

/** Coalesces an editor's burst of writes (temp file, rename, chmod) into one change. */
const settleMs = 80;

function read(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

/**
 * Calls `changed` when the doc's text on disk differs from what `changed` last
 * saw. It watches the folder, not the file: editors often save by writing a new
 * file and renaming it over the old one. Returns a function that stops watching.
 */
export function watchDocFile(file: string, changed: () => void): () => void {
  let last = read(file);
  let timer: NodeJS.Timeout | undefined;
  const name = basename(file);
  const watcher: FSWatcher = watch(dirname(file), (_event, changedName) => {
    if (changedName && basename(String(changedName)) !== name) return;
    clearTimeout(timer);
    timer = setTimeout(() => {
      const now = read(file);
      if (now === undefined || now === last) return;
      last = now;
      changed();
    }, settleMs);
  });
  watcher.on('error', () => watcher.close());
  return () => {
    clearTimeout(timer);
    watcher.close();
  };
}
