import type { RunEvents } from '../runner/events.js';
import { GithubReporter } from '../runner/reporters/github.js';
import { createReporter } from '../runner/reporters/index.js';
import type { ReporterChoice } from './reporter-selection.js';

/**
 * Under GitHub Actions (GITHUB_ACTIONS=true) the github reporter joins the
 * chosen reporters — whether they came from --reporter, the config or the
 * default — unless `github` is among them already. It writes its annotations
 * to stderr, which GitHub reads for workflow commands as it reads stdout, so a
 * json, junit or tap report on stdout stays intact; it leaves the one-line
 * summary to the other reporters. GITHUB_ACTIONS=false turns it off.
 */
export function githubActionsReporter(choices: readonly ReporterChoice[], env: NodeJS.ProcessEnv = process.env): GithubReporter | undefined {
  if (env.GITHUB_ACTIONS !== 'true' || choices.some(({ name }) => name === 'github')) return undefined;
  return new GithubReporter({ out: process.stderr, env, summaryLine: false });
}

/** The reporters a command reports to: the chosen ones, and GitHub's when it runs under Actions. */
export function createReporters(choices: readonly ReporterChoice[], env: NodeJS.ProcessEnv = process.env): RunEvents[] {
  const automatic = githubActionsReporter(choices, env);
  return [...choices.map(({ name, file }) => createReporter(name, file)), ...(automatic ? [automatic] : [])];
}
