import { describe, expect, it } from 'vitest';
import { scrubString, scrubValue, secretValues } from '../../../../src/features/llm/recordings/scrub.js';

describe('scrubbing secrets', () => {
  it('collects the API key and values of secret-looking variables, longest first', () => {
    const env = { GITHUB_TOKEN: 'ghtoken-123456789', DB_PASSWORD: 'hunter2hunter2', HOME: '/home/me', SHORT_KEY: 'abc' };
    expect(secretValues(env, ['sk-the-api-key-0000'])).toEqual(['sk-the-api-key-0000', 'ghtoken-123456789', 'hunter2hunter2']);
  });

  it('masks values of 4 characters or more, and passes and passphrases too', () => {
    const env = { DB_PASSWORD: 'hunter2', GITHUB_TOKEN: 'ghp_xxx', SMTP_PASS: 'pa55', GPG_PASSPHRASE: 'open sesame', PIN_KEY: 'abc', COMPASS: 'north', BYPASS_CACHE: 'yes-please' };
    expect(secretValues(env)).toEqual(['open sesame', 'hunter2', 'ghp_xxx', 'pa55']);
  });

  it('does not mask settings that sit in secret-named variables', () => {
    expect(secretValues({ AUTH_DISABLED: 'true', TOKEN_CACHE: 'none', API_KEY_SOURCE: 'undefined', NO_AUTH: 'False' })).toEqual([]);
  });

  it.each([
    ['a known value', 'password is hunter2hunter2!', 'password is [REDACTED]!'],
    ['an OpenAI-style key', 'key sk-abcdefghijklmnop123 used', 'key [REDACTED] used'],
    ['a bearer token', 'Authorization: Bearer abc.def.ghi-123', 'Authorization: [REDACTED]'],
    ['a basic auth header', 'authorization: Basic dTpw', 'authorization: [REDACTED]'],
    ['a quoted auth header', '{"Authorization":"Token abcd1234"}', '{"Authorization":"[REDACTED]"}'],
    ['an API key header', 'x-api-key: 0123456789abcdef', 'x-api-key: [REDACTED]'],
    ['prose about authorization', 'authorization: ok', 'authorization: ok'],
    ['a GitHub token', 'ghp_abcdefghijklmnopqrstuvwxyz0123', '[REDACTED]'],
    ['nothing secret', 'load average: 0.5', 'load average: 0.5'],
  ])('masks %s', (_what, input, expected) => {
    expect(scrubString(input, ['hunter2hunter2'])).toBe(expected);
  });

  it('masks strings under secret-named keys, deeply, and leaves numbers alone', () => {
    const input = { api_key: 'plain', nested: [{ Authorization: 'x', password: 'y', name: 'ok' }], usage: { total_tokens: 20 }, access_token: 'z' };
    expect(scrubValue(input, [])).toEqual({
      api_key: '[REDACTED]',
      nested: [{ Authorization: '[REDACTED]', password: '[REDACTED]', name: 'ok' }],
      usage: { total_tokens: 20 },
      access_token: '[REDACTED]',
    });
  });
});
