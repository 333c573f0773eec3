import { watch, readFileSync, type FSWatcher } from 'node:fs';
import { basename, dirname, relative } from 'node:path';
import type { RunEvents } from '../runner/events.js';
import { installInterruptHandlers } from '../runner/interrupt.js';
import { localImports } from '../runner/local-imports.js';
import { colorsFor } from '../runner/reporters/format.js';
import { runDocs } from '../runner/run.js';
import { prestartExecutor } from '../runner/schedule/executor-pool.js';
import type { RunOptions } from '../runner/run-options.js';

/** Coalesces an editor's burst of writes (temp file, rename, chmod) into one re-run. */
const settleMs = 60;

// A file's content minus the stamp: the stamp a run writes is not an edit to react to.
function contentOf(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8').replace(/^(lastTested|lastTestPassed):.*$/gm, '');
  } catch {
    return undefined;
  }
}

/**
 * --watch: runs the docs, then again whenever one of them or a local file they
 * import changes, clearing the screen first. Each run starts fresh executors, so
 * edited modules load anew; runs happen one at a time; a change during a run queues one more run. Never resolves: Ctrl-C
 * ends it (the running doc is cleaned up first).
 */
export async function watchDocs(files: string[], options: RunOptions, makeEvents: () => RunEvents, output: NodeJS.WriteStream = process.stdout): Promise<number> {
  const c = colorsFor(output);
  installInterruptHandlers(3000, () => output.write(`\n${c.dim('stopped watching')}\n`));
  const watchers = new Map<string, FSWatcher>();
  // What each watched file held when the last run started.
  const seen = new Map<string, string | undefined>();
  let running = false;
  let queued = false;
  let timer: NodeJS.Timeout | undefined;

  const schedule = () => {
    clearTimeout(timer);
    timer = setTimeout(() => void runOnce(false), settleMs);
  };

  // Folders, not files: editors often save by writing a new file and renaming it over the old one.
  const watchFolders = (watched: string[]) => {
    const folders = new Set(watched.map((file) => dirname(file)));
    for (const [folder, watcher] of watchers) {
      if (folders.has(folder)) continue;
      watcher.close();
      watchers.delete(folder);
    }
    for (const folder of folders) {
      if (watchers.has(folder)) continue;
      const watcher = watch(folder, (_event, name) => {
        if (!name) return;
        const file = `${folder}/${basename(String(name))}`;
        if (seen.has(file)) schedule();
      });
      watcher.on('error', () => watcher.close());
      watchers.set(folder, watcher);
    }
  };

  const runOnce = async (first: boolean) => {
    if (running) {
      queued = true;
      return;
    }
    // Editors fire several events per save, and a queued run may find nothing new.
    if (!first && [...seen].every(([file, text]) => contentOf(file) === text)) return;
    running = true;
    try {
      const watched = [...new Set(files.flatMap((file) => localImports(file)))];
      seen.clear();
      for (const file of watched) seen.set(file, contentOf(file));
      if (output.isTTY) output.write('\u001b[2J\u001b[3J\u001b[H');
      else output.write(`\n${c.dim('─'.repeat(40))}\n`);
      const run = await runDocs(files, options, makeEvents(), { jobs: 1 });
      prestartExecutor({ warm: true }); // the next run's, started (parser and esbuild loaded) while nothing changes
      watchFolders(watched);
      const names = watched.map((file) => relative(process.cwd(), file) || file);
      const verdict = run.failed ? c.red('failed') : c.green('passed');
      output.write(`\n${c.dim(`[${new Date().toLocaleTimeString()}]`)} ${verdict} · watching ${names.length} file${names.length === 1 ? '' : 's'}: ${c.dim(names.join(', '))} · Ctrl-C to stop\n`);
    } catch (error) {
      output.write(`${c.red(`watch: ${(error as Error).message}`)}\n`);
    } finally {
      running = false;
      if (queued) {
        queued = false;
        schedule();
      }
    }
  };

  await runOnce(true);
  return new Promise<number>(() => {});
}
