import { closeSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { hasCode, messageOf } from '../errors.js';
import { folderCapBytes } from '../engine/cache-prune.js';
import { cacheDirUse, cacheRoot } from '../engine/file-cache.js';
import { ensurePrivateDir, UNSAFE_DIR } from '../engine/private-dir.js';
import { formatSize, oversizedDocs } from '../runner/doc-size.js';
import { usageError } from './usage-error.js';

// Everything a run can find wrong with its input is found before the first
// doc runs: a mistake then costs nothing, and no doc is stamped by a run that
// was going to fail anyway.

export interface PreflightInput {
  files: string[];
  /** The report files of json/junit/tap/html. */
  outputFiles: string[];
  onlySections?: string[];
  maxDocSize: number;
  /** Docs given as Markdown rather than files (`runbook run -`), by name; their size was checked as they were read. */
  texts?: ReadonlyMap<string, string>;
}

/** Throws a usage error (exit 2) for the first thing that would go wrong. */
export async function preflight(input: PreflightInput): Promise<void> {
  checkCacheFolder();
  const texts = input.texts ?? new Map<string, string>();
  checkDocSizes(input.files.filter((file) => !texts.has(file)), input.maxDocSize);
  for (const file of input.outputFiles) checkOutputFile(file);
  if (input.onlySections?.length) await checkOnlySections(input.files, input.onlySections, texts);
}

// A cache folder another user could write is refused, not silently skipped: say which and how to fix it.
function checkCacheFolder(): void {
  const root = cacheRoot();
  if (root === undefined) return;
  try {
    folderCapBytes();
  } catch (error) {
    throw usageError(messageOf(error));
  }
  try {
    ensurePrivateDir(root, cacheDirUse);
    for (const name of readdirSync(root)) ensurePrivateDir(join(root, name), cacheDirUse);
  } catch (error) {
    if (hasCode(error, UNSAFE_DIR)) throw usageError(messageOf(error));
    // Cannot be made or read (read-only, no home): the caches are only a speed-up and stay off.
  }
}

function checkDocSizes(files: string[], limit: number): void {
  const over = oversizedDocs(files, limit);
  if (over.length === 0) return;
  const which = over.map(({ path, bytes }) => `${path} (${formatSize(bytes)})`).join(', ');
  throw usageError(
    `${over.length === 1 ? 'A doc is' : `${over.length} docs are`} larger than the ${formatSize(limit)} limit, so runbook does not read ${over.length === 1 ? 'it' : 'them'}: ${which}. ` +
      'Raise the limit with --max-doc-size (or maxDocSize in runbook.config.ts), e.g. --max-doc-size 50MB, or split the doc.',
  );
}

const writeProblems: Record<string, string> = {
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EISDIR: 'it is a folder',
  ENOTDIR: 'a part of the path is a file, not a folder',
  EROFS: 'the file system is read-only',
  ENOSPC: 'the disk is full',
};

/**
 * Throws a usage error when a report could not be written to `file`. Opened for
 * appending, so nothing in an existing file is lost; a file made only to check is removed again.
 */
export function checkOutputFile(file: string): void {
  const path = resolve(file);
  const existed = existsSync(path);
  try {
    mkdirSync(dirname(path), { recursive: true });
    closeSync(openSync(path, 'a'));
    if (!existed) rmSync(path, { force: true });
  } catch (error) {
    let code = (error as NodeJS.ErrnoException).code ?? '';
    if (code === 'EEXIST') code = 'ENOTDIR'; // mkdir -p met a file where a folder should be
    const why = writeProblems[code] ?? messageOf(error);
    throw usageError(`Cannot write --output-file ${file}: ${why} (${code || 'error'}). Choose a path you can write; no doc was run.`);
  }
}

// Each name must be a heading with a runnable block under it in one of the docs, or the flag selects nothing.
async function checkOnlySections(files: string[], sections: string[], texts: ReadonlyMap<string, string>): Promise<void> {
  const { prepareDoc } = await import('../runner/prepare-doc.js');
  const found = new Map<string, string>();
  for (const file of files) {
    try {
      const { doc } = await prepareDoc(texts.get(file) ?? readFileSync(file, 'utf8'), file, resolve(file));
      for (const block of doc.blocks) {
        if (block.kind !== 'code' && block.kind !== 'shell') continue;
        for (const section of block.sections) found.set(section.toLowerCase(), section);
      }
    } catch {
      // A doc that does not parse fails on its own when it runs, with its own message.
    }
  }
  const missing = sections.filter((section) => !found.has(section.trim().toLowerCase()));
  if (missing.length === 0) return;
  const known = [...found.values()];
  const listed = known.length ? `Headings with code under them: ${known.slice(0, 12).join(', ')}${known.length > 12 ? ', …' : ''}.` : 'The docs have no headings with code under them.';
  throw usageError(
    `--only-sections ${missing.map((name) => `'${name}'`).join(', ')} matches no heading with code under it in the ${files.length} doc${files.length === 1 ? '' : 's'} given. ${listed}`,
  );
}
