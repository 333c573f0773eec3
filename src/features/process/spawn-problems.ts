import { statSync } from 'node:fs';

// Node reports spawn failures tersely ("spawn x ENOENT", and blames the command
// for a missing cwd): these turn them into messages that say what to do.

/** Why `cwd` cannot be a child's working folder, or null if it can. */
export function checkDirectory(cwd: string): string | null {
  try {
    if (statSync(cwd).isDirectory()) return null;
    return `Cannot start the process: cwd ${JSON.stringify(cwd)} is not a directory. Pass an existing folder as cwd.`;
  } catch {
    return `Cannot start the process: cwd ${JSON.stringify(cwd)} does not exist. Pass an existing folder as cwd.`;
  }
}

/** A hint for the errno of a failed spawn, e.g. ENOENT → command not found. */
export function describeErrno(code: string | undefined): string {
  if (code === 'ENOENT') return 'command not found: check the name and PATH';
  if (code === 'EACCES') return 'permission denied: the file is not executable';
  return code ?? 'unknown error';
}
