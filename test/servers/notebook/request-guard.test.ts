import { describe, expect, it } from 'vitest';
import { hostAllowed, originAllowed, tokenMatches } from '../../../src/servers/notebook/request-guard.js';

describe('tokenMatches', () => {
  it.each([
    ['the token', 'abcdefghijklmnopqrstuvwx', true],
    ['another of the same length', 'abcdefghijklmnopqrstuvwy', false],
    ['a prefix', 'abcdefghijkl', false],
    ['a longer one', 'abcdefghijklmnopqrstuvwxyz', false],
    ['empty', '', false],
    ['missing', null, false],
    ['undefined', undefined, false],
  ])('%s', (_name, given, expected) => {
    expect(tokenMatches('abcdefghijklmnopqrstuvwx', given)).toBe(expected);
  });

  it('never matches when no token was set', () => {
    expect(tokenMatches('', '')).toBe(false);
  });
});

describe('hostAllowed (DNS rebinding)', () => {
  it.each([
    ['127.0.0.1:4000', '127.0.0.1', true],
    ['localhost:4000', '127.0.0.1', true],
    ['LOCALHOST:4000', '127.0.0.1', true],
    ['[::1]:4000', '127.0.0.1', true],
    ['192.168.1.20:4000', '0.0.0.0', true],
    ['evil.example:4000', '127.0.0.1', false],
    ['evil.example:4000', '0.0.0.0', false],
    ['127.0.0.1:4001', '127.0.0.1', false],
    ['127.0.0.1', '127.0.0.1', false],
    ['nb.internal:4000', 'nb.internal', true],
    ['other.internal:4000', 'nb.internal', false],
    ['127.0.0.1:4000@evil', '127.0.0.1', false],
    [undefined, '127.0.0.1', false],
  ])('Host %s, bound to %s → %s', (host, bound, expected) => {
    expect(hostAllowed(host, 4000, bound)).toBe(expected);
  });
});

describe('originAllowed', () => {
  it.each([
    ['http://127.0.0.1:4000', true],
    ['http://localhost:4000', true],
    ['http://evil.example', false],
    ['http://evil.example:4000', false],
    ['https://127.0.0.1:4000', false],
    ['http://127.0.0.1:4001', false],
    ['http://user:pw@127.0.0.1:4000', false],
    ['null', false],
    ['', false],
    [undefined, false],
  ])('Origin %s → %s', (origin, expected) => {
    expect(originAllowed(origin, 4000, '127.0.0.1')).toBe(expected);
  });
});
