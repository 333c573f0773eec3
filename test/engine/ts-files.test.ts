import { describe, expect, it } from 'vitest';
import { isTypeScriptFile, moduleFormat, typeScriptCandidates } from '../../src/engine/ts-files.js';

describe('typeScriptCandidates', () => {
  it.each([
    ['/d/helper', ['/d/helper.ts', '/d/helper.tsx', '/d/helper.mts', '/d/helper.cts', '/d/helper/index.ts', '/d/helper/index.tsx']],
    ['/d/helper.js', ['/d/helper.ts', '/d/helper.tsx']],
    ['/d/view.jsx', ['/d/view.tsx']],
    ['/d/esm.mjs', ['/d/esm.mts']],
    ['/d/common.cjs', ['/d/common.cts']],
    ['/d/app.config', ['/d/app.config.ts', '/d/app.config.tsx', '/d/app.config.mts', '/d/app.config.cts', '/d/app.config/index.ts', '/d/app.config/index.tsx']],
  ])('%s → %j', (path, expected) => {
    expect(typeScriptCandidates(path)).toEqual(expected);
  });
});

describe('isTypeScriptFile and moduleFormat', () => {
  it.each([
    ['file:///d/a.ts', true, 'module'],
    ['file:///d/a.tsx?runbook-watch=2', true, 'module'],
    ['/d/a.mts', true, 'module'],
    ['/d/a.cts', true, 'commonjs'],
    ['/d/a.d.ts.js', false, 'module'],
    ['/d/a.mjs', false, 'module'],
  ])('%s', (path, typeScript, format) => {
    expect(isTypeScriptFile(path)).toBe(typeScript);
    expect(moduleFormat(path.replace(/\?.*$/, ''))).toBe(format);
  });
});
