import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { repoRoot } from './cli.js';

// The seed lives in shared/ beside the checkout (DESIGN.md). A throwaway local
// clone (`git clone . $(mktemp -d)`) has no shared/ beside it, but the checkout
// it was cloned from does: look there too.
function originCheckout(): string | undefined {
  try {
    const origin = execFileSync('git', ['-C', repoRoot, 'remote', 'get-url', 'origin'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    return isAbsolute(origin) ? origin : undefined;
  } catch {
    return undefined;
  }
}

/** The folder of the seed's extracted docs; the first candidate when none exists (tests then fail loudly in CI). */
export function seedDir(): string {
  const candidates = [repoRoot, originCheckout()].filter((dir): dir is string => dir !== undefined).map((dir) => join(dir, '../shared/seed/extracted'));
  return candidates.find((dir) => existsSync(dir)) ?? candidates[0]!;
}
