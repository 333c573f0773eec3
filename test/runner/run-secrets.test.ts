import { afterEach, describe, expect, it } from 'vitest';
import { maskerOf, runSecrets } from '../../src/runner/mask-secrets.js';

describe('runSecrets', () => {
  afterEach(() => {
    delete process.env.RUNBOOK_TEST_API_TOKEN;
  });

  it('finds the secrets of the runner’s environment and of the run’s env option', () => {
    process.env.RUNBOOK_TEST_API_TOKEN = 'token-from-the-shell';
    const secrets = runSecrets({ env: { DB_PASSWORD: 'hunter2-long', PLAIN: 'not-secret-value' } });
    expect(secrets).toContain('token-from-the-shell');
    expect(secrets).toContain('hunter2-long');
    expect(secrets).not.toContain('not-secret-value');
    expect(maskerOf(secrets)('pw hunter2-long')).toBe('pw [REDACTED]');
  });

  it('is worked out once per run: the same options give the same list, other options their own', () => {
    const options = { env: { SERVICE_KEY: 'first-key-value' } };
    const first = runSecrets(options);
    process.env.RUNBOOK_TEST_API_TOKEN = 'set-after-the-run-started';
    expect(runSecrets(options)).toBe(first);
    expect(runSecrets({ env: { SERVICE_KEY: 'other-key-value' } })).toEqual(expect.arrayContaining(['other-key-value', 'set-after-the-run-started']));
  });
});
