import { describe, expect, it } from 'vitest';
import { curveSchedules, parseBenchFlags } from '../../bench/compare/flags.mjs';

describe('npm run bench flags', () => {
  it('measures the full curves by default', () => {
    expect(parseBenchFlags([])).toEqual({ rounds: 7, curveRounds: 3, peers: true, curveSizes: curveSchedules.full, curveCachesOff: false, cli: undefined });
  });

  it('takes quick, full or off for --curves', () => {
    expect(parseBenchFlags(['--curves', 'quick']).curveSizes).toEqual({ blocks: [10, 100, 1000], docs: [20, 100, 200] });
    expect(parseBenchFlags(['--curves', 'full']).curveSizes).toEqual({ blocks: [10, 100, 1000, 3000, 10000], docs: [20, 200, 500, 1000, 2000] });
    expect(parseBenchFlags(['--curves', 'off']).curveSizes).toBeUndefined();
    expect(() => parseBenchFlags(['--curves', 'fast'])).toThrow('--curves expects quick, full or off, got "fast"');
    expect(() => parseBenchFlags(['--curves', 'constructor'])).toThrow('--curves expects quick, full or off');
  });

  it('keeps in every schedule the sizes the marginal targets compare', () => {
    for (const sizes of Object.values(curveSchedules)) {
      expect(sizes.blocks).toEqual(expect.arrayContaining([10, 1000]));
      expect(sizes.docs).toEqual(expect.arrayContaining([20, 200]));
    }
  });

  it('reads rounds, peers, the caches-off curve and another CLI', () => {
    expect(parseBenchFlags(['--rounds', '3', '--curve-rounds', '1', '--no-peers', '--curve-caches-off', '--cli', 'other/bin/runbook.js'])).toMatchObject({
      rounds: 3,
      curveRounds: 1,
      peers: false,
      curveCachesOff: true,
      cli: 'other/bin/runbook.js',
    });
  });

  it('refuses rounds that are not a whole number of 1 or more', () => {
    for (const bad of ['0', '-2', '1.5', 'many']) expect(() => parseBenchFlags([`--rounds=${bad}`])).toThrow(`--rounds expects a whole number of rounds, 1 or more, got "${bad}"`);
    expect(() => parseBenchFlags(['--curve-rounds', '0'])).toThrow('--curve-rounds expects');
  });

  it('names the flags it knows when given another', () => {
    expect(() => parseBenchFlags(['--no-curves'])).toThrow(/Unknown option '--no-curves'.*--curves quick\|full\|off/);
  });
});
