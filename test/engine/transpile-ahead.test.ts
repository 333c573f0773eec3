import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { compileParts } from '../../src/engine/compile.js';
import { transpileAhead } from '../../src/engine/transpile.js';

// The real esbuild, with its synchronous calls counted (its own exports cannot be spied on).
const syncCalls = vi.hoisted(() => ({ count: 0 }));
vi.mock('../../src/engine/esbuild-loader.js', async (importOriginal) => {
  const original = await importOriginal<typeof import('../../src/engine/esbuild-loader.js')>();
  const esbuild = original.loadEsbuild();
  const counted = { ...esbuild, transformSync: (...args: Parameters<typeof esbuild.transformSync>) => (syncCalls.count++, esbuild.transformSync(...args)) };
  return { ...original, loadEsbuild: () => counted };
});

// The transpile cache keeps at most 5,000 entries in memory. A doc with more
// TypeScript blocks than that, with no disk cache to fall back on, lost its
// first blocks' output before they were compiled: each was transpiled again,
// one synchronous esbuild call at a time (a 10,000-block doc: 16 s of 20).

describe('transpileAhead on a doc larger than the cache keeps in memory', () => {
  beforeEach(() => vi.stubEnv('RUNBOOK_CACHE', 'off'));
  afterEach(() => vi.unstubAllEnvs());

  it('compiles every block from what it transpiled, with no esbuild call of its own', async () => {
    const blocks = Array.from({ length: 5_100 }, (_, index) => ({
      index,
      lang: 'ts',
      source: `const ahead${index}: number = ${index};`,
      line: 3 + index * 4,
      indent: 0,
    }));
    const ahead = await transpileAhead(blocks, '/docs/large.md');
    syncCalls.count = 0;
    const codes = blocks.map((block) => compileParts(block, '/docs/large.md', ahead).code);
    expect(syncCalls.count).toBe(0);
    expect(codes[0]).toContain('ahead0 = 0');
    expect(codes[5_099]).toContain('ahead5099 = 5099');
  }, 60_000);
});
