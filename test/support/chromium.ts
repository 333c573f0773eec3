import { existsSync } from 'node:fs';

/** The browser the page tests drive: RUNBOOK_CHROMIUM, else the usual Debian and Ubuntu places. */
export function findChromium(): string | undefined {
  const candidates = [process.env.RUNBOOK_CHROMIUM, '/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];
  return candidates.find((path): path is string => Boolean(path) && existsSync(path!));
}

/**
 * Why a browser test cannot run here, for its title (so a skip says why), or
 * undefined when it can. Under CI a missing browser is not a reason: the test
 * runs and fails.
 */
export function noChromiumReason(chromiumPath: string | undefined): string | undefined {
  if (chromiumPath || process.env.CI) return undefined;
  return "skipped: no chromium found (install Debian's chromium, or set RUNBOOK_CHROMIUM)";
}
