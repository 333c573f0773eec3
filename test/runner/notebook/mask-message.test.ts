import { describe, expect, it } from 'vitest';
import { secretMasker } from '../../../src/runner/mask-secrets.js';
import { maskMessage } from '../../../src/runner/notebook/mask-message.js';

const secret = 'sk-test-9f8e7d6c5b4a';
const mask = secretMasker({ OPENAI_API_KEY: secret });

describe('maskMessage', () => {
  it('masks what a block and console input printed, their values and errors, and leaves the original alone', () => {
    const block = { index: 2, status: 'failed' as const, stdout: `key ${secret}\n`, stderr: '', value: `'${secret}'`, error: { message: `bad key ${secret}`, frame: `> 3 | const k = '${secret}'` } };
    const shown = maskMessage({ type: 'block', block }, mask);
    expect(JSON.stringify(shown)).not.toContain(secret);
    expect(JSON.stringify(shown)).toContain('[REDACTED]');
    expect(block.stdout).toContain(secret);
    const consoleReply = maskMessage({ type: 'console', id: 1, input: 'key', output: `${secret}\n`, value: `'${secret}'`, error: { message: secret } }, mask);
    expect(JSON.stringify(consoleReply)).not.toContain(secret);
    expect(JSON.stringify(maskMessage({ type: 'output', index: 2, stream: 'stdout', text: `x ${secret}` }, mask))).not.toContain(secret);
    expect(maskMessage({ type: 'busy', busy: true, what: 'running all' }, mask)).toEqual({ type: 'busy', busy: true, what: 'running all' });
  });
});
