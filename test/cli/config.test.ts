import { describe, expect, it } from 'vitest';
import { stampSetting } from '../../src/cli/config.js';

describe('stampSetting: flags win over the config, which wins over stamping', () => {
  it.each([
    ['nothing said', {}, undefined, true],
    ['config stamp: false', {}, { stamp: false }, false],
    ['config stamp: true', {}, { stamp: true }, true],
    ['--stamp over config stamp: false', { stamp: true }, { stamp: false }, true],
    ['--no-stamp (allowNegative) over config stamp: true', { stamp: false }, { stamp: true }, false],
    ['--no-stamp (its own flag, older Node 20) over config stamp: true', { 'no-stamp': true }, { stamp: true }, false],
    ['--no-stamp as its own flag beside --stamp', { stamp: true, 'no-stamp': true }, undefined, false],
  ])('%s', (_name, flags, config, expected) => {
    expect(stampSetting(flags, config)).toBe(expected);
  });
});
