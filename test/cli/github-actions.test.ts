import { describe, expect, it } from 'vitest';
import { createReporters, githubActionsReporter } from '../../src/cli/github-actions.js';
import { GithubReporter } from '../../src/runner/reporters/github.js';
import { JunitReporter } from '../../src/runner/reporters/junit.js';
import { PrettyReporter } from '../../src/runner/reporters/pretty.js';

const actions = { GITHUB_ACTIONS: 'true' };

describe('the github reporter under GitHub Actions', () => {
  it.each([
    ['outside GitHub Actions', {}, [{ name: 'pretty' as const }], false],
    ['GITHUB_ACTIONS=false', { GITHUB_ACTIONS: 'false' }, [{ name: 'pretty' as const }], false],
    ['beside the default', actions, [{ name: 'pretty' as const }], true],
    ['beside a report on stdout', actions, [{ name: 'json' as const }], true],
    ['never twice', actions, [{ name: 'pretty' as const }, { name: 'github' as const }], false],
  ])('%s', (_name, env, choices, added) => {
    expect(githubActionsReporter(choices, env) instanceof GithubReporter).toBe(added);
  });

  it('is built after the chosen reporters', () => {
    const reporters = createReporters([{ name: 'pretty' }, { name: 'junit', file: 'out.xml' }], actions);
    expect(reporters.map((reporter) => reporter.constructor)).toEqual([PrettyReporter, JunitReporter, GithubReporter]);
    expect(createReporters([{ name: 'pretty' }], {}).map((reporter) => reporter.constructor)).toEqual([PrettyReporter]);
  });
});
