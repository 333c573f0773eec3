import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { configFeatures, findConfigFile, loadConfig, validateConfig } from '../../src/runner/config-file.js';
import { makeDocs } from '../support/cli.js';

class Fake {
  static featureName = 'fake';
  static kind = 'feature';
  enable() {}
}

describe('findConfigFile', () => {
  it('finds the nearest config from the folder upwards, preferring .ts', () => {
    const dir = makeDocs({ 'runbook.config.json': '{}', 'runbook.config.ts': 'export default {}', 'a/b/doc.md': '# x\n', 'a/runbook.config.mjs': 'export default {}' });
    expect(findConfigFile(join(dir, 'a/b'))).toBe(join(dir, 'a/runbook.config.mjs'));
    expect(findConfigFile(dir)).toBe(join(dir, 'runbook.config.ts'));
  });

  it('is undefined when there is none up to the root', () => {
    const dir = makeDocs({ 'doc.md': '# x\n' });
    // The temp folder's parents hold no config in a clean environment; only assert what we made.
    const found = findConfigFile(dir);
    expect(found === undefined || !found.startsWith(dir)).toBe(true);
  });
});

describe('validateConfig', () => {
  const cases: [string, unknown, string][] = [
    ['a wrong type', { jobs: 'four' }, "Invalid cfg.ts: 'jobs' expected number, got \"four\" (string). Known keys: docs, timeout, docTimeout, reporters, jobs, maxDocSize, evalMode, llm, typecheck, stamp, failOnSkip, features."],
    ['a non-positive number', { timeout: 0 }, "Invalid cfg.ts: 'timeout': Too small: expected number to be >0, got 0 (number). Known keys: docs, timeout, docTimeout, reporters, jobs, maxDocSize, evalMode, llm, typecheck, stamp, failOnSkip, features."],
    ['an unknown reporter', { reporters: ['fancy'] }, "Invalid cfg.ts: 'reporters.0' expected one of pretty, literate, json, junit, tap, html, github, got \"fancy\" (string). Known keys: docs, timeout, docTimeout, reporters, jobs, maxDocSize, evalMode, llm, typecheck, stamp, failOnSkip, features."],
    ['an unknown key', { timeouts: 5 }, "Invalid cfg.ts: unknown key 'timeouts'. Known keys: docs, timeout, docTimeout, reporters, jobs, maxDocSize, evalMode, llm, typecheck, stamp, failOnSkip, features."],
    ['a feature that is not a class', { features: ['ui'] }, "Invalid cfg.ts: 'features.0': expected a class extending Feature (with static featureName and kind), got \"ui\" (string). Known keys: docs, timeout, docTimeout, reporters, jobs, maxDocSize, evalMode, llm, typecheck, stamp, failOnSkip, features."],
    ['a timeout Node cannot keep', { docTimeout: 2 ** 31 }, "Invalid cfg.ts: 'docTimeout': at most 2147483647 ms (about 24.8 days), the longest timer Node allows, got 2147483648 (number). Known keys: docs, timeout, docTimeout, reporters, jobs, maxDocSize, evalMode, llm, typecheck, stamp, failOnSkip, features."],
    ['a size that is not one', { maxDocSize: '10 parsecs' }, "Invalid cfg.ts: 'maxDocSize': expected a size from 1 byte to 512MB, e.g. 10MB, 512kB or 1048576 (bytes), got \"10 parsecs\" (string). Known keys: docs, timeout, docTimeout, reporters, jobs, maxDocSize, evalMode, llm, typecheck, stamp, failOnSkip, features."],
    ['a stamp that is not a boolean', { stamp: 'no' }, "Invalid cfg.ts: 'stamp' expected boolean, got \"no\" (string). Known keys: docs, timeout, docTimeout, reporters, jobs, maxDocSize, evalMode, llm, typecheck, stamp, failOnSkip, features."],
    ['no globs', { docs: [] }, "Invalid cfg.ts: 'docs': Too small: expected array to have >=1 items, got [] (array). Known keys: docs, timeout, docTimeout, reporters, jobs, maxDocSize, evalMode, llm, typecheck, stamp, failOnSkip, features."],
  ];
  it.each(cases)('refuses %s, naming the file and the key', (_name, raw, message) => {
    expect(() => validateConfig(raw, 'cfg.ts')).toThrow(message);
    try {
      validateConfig(raw, 'cfg.ts');
    } catch (error) {
      expect((error as { code?: string }).code).toBe('RUNBOOK_CONFIG');
      expect((error as Error).message).toBe(message);
    }
  });

  it('accepts every key', () => {
    const config = { docs: ['docs/**/*.md'], timeout: 1000, docTimeout: 5000, reporters: ['pretty', 'junit'], jobs: 2, maxDocSize: '2MB', evalMode: 'optIn', llm: 'replay', typecheck: true, stamp: false, features: [Fake] };
    expect(validateConfig(config, 'cfg.ts')).toEqual({ ...config, maxDocSize: 2 * 1024 * 1024 });
  });
});

describe('loadConfig', () => {
  it('loads a TypeScript config, relative imports included, and leaves no temp file behind', async () => {
    const dir = makeDocs({
      'runbook.config.ts': "import { limit } from './limits.ts.mjs'\nclass Clock {\n  static featureName: string = 'clock'\n  static kind = 'feature' as const\n  enable(): void {}\n}\nexport default { timeout: limit as number, features: [Clock] }\n",
      'limits.ts.mjs': 'export const limit = 1234\n',
    });
    const loaded = await loadConfig(join(dir, 'runbook.config.ts'));
    expect(loaded.config.timeout).toBe(1234);
    expect(loaded.config.features?.map((feature) => feature.featureName)).toEqual(['clock']);
    expect(readdirSync(dir).sort()).toEqual(['limits.ts.mjs', 'runbook.config.ts']);
    expect((await configFeatures(join(dir, 'runbook.config.ts'))).length).toBe(1);
  });

  it('loads JSON and reports invalid JSON with the file', async () => {
    const dir = makeDocs({ 'ok/runbook.config.json': '{ "jobs": 3 }', 'bad/runbook.config.json': '{ jobs: 3 }' });
    expect((await loadConfig(join(dir, 'ok/runbook.config.json'))).config).toEqual({ jobs: 3 });
    await expect(loadConfig(join(dir, 'bad/runbook.config.json'))).rejects.toThrow(`${join(dir, 'bad/runbook.config.json')} is not valid JSON: `);
  });

  it('asks for a default export', async () => {
    const dir = makeDocs({ 'runbook.config.mjs': 'export const docs = []\n' });
    const path = join(dir, 'runbook.config.mjs');
    await expect(loadConfig(path)).rejects.toThrow(`${path} has no default export. Export the settings: export default { docs: ['docs/**/*.md'] }.`);
  });

  it('reports a config that throws while loading', async () => {
    const dir = makeDocs({ 'runbook.config.mjs': "throw new Error('no network here')\n" });
    const path = join(dir, 'runbook.config.mjs');
    await expect(loadConfig(path)).rejects.toThrow(`${path} could not be loaded: no network here`);
  });
});
