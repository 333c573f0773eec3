import { describe, expect, it } from 'vitest';
import { fenceLanguage } from '../../src/features/fence-language.js';

describe('fenceLanguage', () => {
  it.each([
    ['text output', 'text'],
    ['json title="config"', 'json'],
    ['  ts   silent ', 'ts'],
    ['yaml', 'yaml'],
    ['mermaid', 'plaintext'],
    ['output', 'plaintext'],
    ['', 'plaintext'],
    [undefined, 'plaintext'],
  ])('%j → %s', (info, language) => {
    expect(fenceLanguage(info)).toBe(language);
  });
});
