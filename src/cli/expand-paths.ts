import { existsSync, statSync } from 'node:fs';
import { isAbsolute } from 'node:path';
import { usageError } from './usage-error.js';
import { walkFolder } from './walk-folder.js';

const globChars = /[*?[\]{}!]/;

/**
 * Expands the command line's files and globs (quoted globs too) into a sorted,
 * de-duplicated list of Markdown files. Anything that matches nothing is an error.
 */
export async function expandPaths(patterns: string[], cwd = process.cwd()): Promise<string[]> {
  if (patterns.length === 0) throw usageError("No docs given. Name files or globs, e.g. runbook run 'docs/**/*.md'.");
  const found = new Set<string>();
  for (const pattern of patterns) {
    if (!globChars.test(pattern) || existsSync(pattern)) {
      if (!existsSync(pattern)) throw usageError(`No such file: ${pattern}. Check the path (relative to ${cwd}).`);
      if (statSync(pattern).isDirectory()) {
        const inside = walkFolder(pattern);
        if (inside.length === 0) throw usageError(`No .md files in folder ${pattern}.`);
        inside.forEach((file) => found.add(file));
      } else found.add(pattern);
      continue;
    }
    const matches = await glob([pattern], cwd, isAbsolute(pattern));
    if (matches.length === 0) {
      throw usageError(`No doc matched '${pattern}'. Check the pattern and the folder you run from (${cwd}).`);
    }
    matches.forEach((file) => found.add(file));
  }
  return [...found];
}

// Paths come back in the form the pattern was written in: absolute stays absolute.
// Symlinks are not followed, so a glob never leaves its folder or loops (nor matches a symlinked doc: name that one).
async function glob(patterns: string[], cwd: string, absolute = false): Promise<string[]> {
  const { glob: run } = await import('tinyglobby');
  const files = await run(patterns, { cwd, absolute, ignore: ['**/node_modules/**'], onlyFiles: true, expandDirectories: false, followSymbolicLinks: false });
  return files.sort();
}
