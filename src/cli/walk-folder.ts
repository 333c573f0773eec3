import { readdirSync, realpathSync, statSync } from 'node:fs';
import { join, sep } from 'node:path';

// A folder given on the command line is walked without ever leaving it: a
// symlinked folder is not entered (an `up -> ..` link would walk the whole
// disk, a `self -> .` link forever), and a symlinked doc is taken only when
// its target lies inside the folder. Hidden folders and node_modules are skipped.

const isInside = (root: string, path: string) => path === root || path.startsWith(root.endsWith(sep) ? root : root + sep);

/** The .md files under `folder`, sorted, as paths that start with `folder`. */
export function walkFolder(folder: string): string[] {
  const root = realpathSync(folder);
  const found: string[] = [];
  const visit = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.name.startsWith('.') || entry.name === 'node_modules') continue;
      const path = join(dir, entry.name);
      if (entry.isDirectory()) visit(path);
      else if (entry.name.endsWith('.md') && (entry.isFile() || (entry.isSymbolicLink() && linksInside(root, path)))) found.push(path);
    }
  };
  visit(folder);
  return found.sort();
}

function linksInside(root: string, path: string): boolean {
  try {
    return statSync(path).isFile() && isInside(root, realpathSync(path));
  } catch {
    return false; // a dangling link
  }
}
