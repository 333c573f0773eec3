import { describe, expect, it } from 'vitest';
import { atCallSite, captureCallSite, withCallSite } from '../src/call-site.js';

// Named functions, so their frames can be found in the stacks.
function callerOfApi(): ReturnType<typeof captureCallSite> {
  return api();
}
function api(): ReturnType<typeof captureCallSite> {
  return captureCallSite(api);
}
function madeElsewhere(): Error {
  return new Error('late failure');
}

const frameNames = (stack: string | undefined): string[] =>
  (stack ?? '').split('\n').slice(1).map((line) => /at (\S+)/.exec(line.trim())?.[1] ?? '');

describe('call sites', () => {
  it('captures from the caller of the API, leaving the API itself out', () => {
    const names = frameNames(callerOfApi().stack);
    expect(names[0]).toBe('callerOfApi');
    expect(names).not.toContain('api');
  });

  it('atCallSite keeps the header and puts the call site frames in place of the error own', () => {
    const error = atCallSite(madeElsewhere(), callerOfApi());
    expect(error.stack!.split('\n')[0]).toBe('Error: late failure');
    expect(frameNames(error.stack)[0]).toBe('callerOfApi');
    expect(frameNames(error.stack)).not.toContain('madeElsewhere');
  });

  it('withCallSite keeps the error own frames first and the call site after them', async () => {
    const error = await withCallSite(callerOfApi(), Promise.reject(madeElsewhere())).catch((caught: Error) => caught);
    const names = frameNames(error.stack);
    expect(names[0]).toBe('madeElsewhere');
    expect(names.indexOf('callerOfApi')).toBeGreaterThan(0);
  });

  it('adds the frames once, and leaves non-objects and frozen errors as they are', async () => {
    const site = callerOfApi();
    const error = atCallSite(madeElsewhere(), site);
    const once = error.stack;
    expect(atCallSite(error, site).stack).toBe(once);
    expect(atCallSite('a string', site)).toBe('a string');
    const frozen = Object.freeze(madeElsewhere());
    expect(atCallSite(frozen, site).stack).toBe(frozen.stack);
    await expect(withCallSite(site, Promise.reject(42))).rejects.toBe(42);
  });
});
