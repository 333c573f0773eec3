import { describe, expect, it } from 'vitest';
import { scrubString } from '../../src/features/llm/recordings/scrub.js';
import { createStreamMasker } from '../../src/runner/stream-masker.js';

const secrets = ['sk-live-0123456789abcdef', 'hunter2'];
const mask = (text: string) => scrubString(text, secrets);

// Feeds `chunks` through a fresh masker; returns what was shown after each push, then after the flush.
function stream(chunks: string[], masked = secrets): string[] {
  const masker = createStreamMasker((text) => scrubString(text, masked), masked);
  return [...chunks.map((chunk) => masker.push(chunk)), masker.flush()];
}

// What a viewer has seen after each step must always be the start of the whole text, masked.
function expectSafe(chunks: string[], masked = secrets): void {
  const whole = scrubString(chunks.join(''), masked);
  let seen = '';
  for (const shown of stream(chunks, masked)) {
    seen += shown;
    expect(whole.startsWith(seen), `after ${JSON.stringify(chunks)} showed ${JSON.stringify(seen)}`).toBe(true);
  }
  expect(seen).toBe(whole);
}

describe('createStreamMasker', () => {
  const lines = [
    'password: hunter2\n',
    'key=sk-live-0123456789abcdef and hunter2, twice: hunter2hunter2\n',
    'Authorization: Bearer abcdefghijklmnopqrstuvwxyz\n',
    'curl -H "x-api-key: 0123456789abcdef" http://127.0.0.1\n',
    'token ghp_abcdefghijklmnopqrstuvwxyz0123 end',
  ];

  it.each(lines)('never shows a secret split in two at any position: %j', (text) => {
    for (let at = 0; at <= text.length; at++) expectSafe([text.slice(0, at), text.slice(at)]);
  });

  it.each(lines)('never shows a secret split in three at any positions: %j', (text) => {
    for (let first = 0; first <= text.length; first++) {
      for (let second = first; second <= text.length; second += 3) expectSafe([text.slice(0, first), text.slice(first, second), text.slice(second)]);
    }
  });

  it('never shows a secret fed one character at a time', () => {
    const text = 'the key sk-live-0123456789abcdef, the password hunter2.\n';
    expectSafe([...text]);
    expect(stream([...text]).join('')).toBe('the key [REDACTED], the password [REDACTED].\n');
  });

  it('shows ordinary output at once', () => {
    expect(stream(['build ok\n', 'all 12 tests passed\n'])).toEqual(['build ok\n', 'all 12 tests passed\n', '']);
  });

  it('holds back only the tail that could start a secret', () => {
    expect(stream(['say hun', 'ter2 now'])).toEqual(['say ', '[REDACTED] now', '']);
    expect(stream(['say hun', 'gry'])).toEqual(['say ', 'hungry', '']);
    expect(stream(['the hunk'])).toEqual(['the hunk', '']);
    expect(stream(['the hunt'])).toEqual(['the ', 'hunt']);
    expect(stream(['a sk-live-01', '23'])).toEqual(['a ', '', 'sk-live-0123']);
  });

  it('keeps a secret whole when a longer secret starts with it', () => {
    expectSafe(['pass hunter2', 'xyz!'], ['hunter2xyz', 'hunter2']);
    expect(stream(['pass hunter2', 'xyz!'], ['hunter2xyz', 'hunter2'])).toEqual(['pass ', '[REDACTED]!', '']);
  });

  it('does not cut through a secret that overlaps the start of another', () => {
    for (let at = 0; at <= 9; at++) expectSafe(['xabcdefy'.slice(0, at), 'xabcdefy'.slice(at)], ['abcd', 'defy!']);
  });

  it('flushes what it held when the stream ends', () => {
    expect(stream(['exit code: hun'])).toEqual(['exit code: ', 'hun']);
    expect(mask('exit code: hun')).toBe('exit code: hun');
  });
});
