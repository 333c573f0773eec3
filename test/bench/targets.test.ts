import { describe, expect, it } from 'vitest';
import {
  checkAgainstPeer,
  checkCorpusRss,
  checkLinearity,
  checkMarginalBlock,
  checkMarginalDoc,
  checkOneBlockOverNode,
  earlierPeerTargets,
  formatTarget,
  issue19Targets,
  limits,
  linearity,
  marginalCost,
  type Curve,
} from '../../bench/compare/targets.mjs';

const KiB = 1024;
const MiB = 1024 * KiB;

/** A curve whose wall and peak RSS follow the given functions of its size. */
function curve(unit: 'block' | 'doc', sizes: number[], wallMs: (size: number) => number, peakRss: (size: number) => number = () => 60 * MiB): Curve {
  return { label: `synthetic ${unit}s`, unit, points: sizes.map((size) => ({ size, wallMs: wallMs(size), peakRss: peakRss(size) })) };
}
const fullBlocks = [10, 100, 1000, 3000, 10000];
const fullDocs = [20, 200, 500, 1000, 2000];
const blockOptions = { unit: 'block', upTo: limits.blocksUpTo, rssPerUnit: limits.rssPerBlock } as const;

describe('marginal costs', () => {
  it('is the wall difference per unit between two sizes of the curve', () => {
    expect(marginalCost(curve('block', [10, 1000], (n) => 200 + 0.05 * n), 10, 1000)).toBeCloseTo(0.05);
    expect(marginalCost(curve('block', [10, 100], (n) => n), 10, 1000)).toBeUndefined();
  });

  it('shows the CPU marginal beside the wall one it is judged on', () => {
    const busy = curve('block', fullBlocks, (n) => 250 + 0.5 * n);
    for (const point of busy.points) point.cpuMs = 100 + 0.05 * point.size;
    expect(marginalCost(busy, 10, 1000, 'cpuMs')).toBeCloseTo(0.05);
    expect(checkMarginalBlock(busy)).toMatchObject({ status: 'MISSED', detail: '0.500 ms (CPU 0.050 ms)' });
  });

  it('meets the block target at 0.1 ms per block and misses it above', () => {
    expect(checkMarginalBlock(curve('block', fullBlocks, (n) => 250 + 0.1 * n)).status).toBe('MET');
    const missed = checkMarginalBlock(curve('block', fullBlocks, (n) => 250 + 0.12 * n));
    expect(missed.status).toBe('MISSED');
    expect(missed.detail).toBe('0.120 ms');
  });

  it('compares 200 docs against 20 for the doc target, and names the cores', () => {
    expect(checkMarginalDoc(curve('doc', fullDocs, (n) => 400 + 2.9 * n), 2)).toMatchObject({ status: 'MET', detail: '2.900 ms on 2 cores' });
    // Only 20 → 200 counts: a slow tail beyond 200 docs is the linearity target's business.
    expect(checkMarginalDoc(curve('doc', fullDocs, (n) => (n <= 200 ? 400 + 3.5 * n : 10 * n)), 2).status).toBe('MISSED');
    expect(checkMarginalDoc(curve('doc', fullDocs, (n) => 400 + n), 4).detail).toContain('the target is stated for 2');
  });

  it('skips, saying why, when the curve lacks the sizes or was not run', () => {
    expect(checkMarginalBlock(curve('block', [10, 100], (n) => n))).toMatchObject({ status: 'SKIPPED', detail: 'the curve has no 10 and 1000 points' });
    expect(checkMarginalDoc(undefined, 2)).toMatchObject({ status: 'SKIPPED', detail: 'curves not measured (--curves off)' });
  });
});

describe('start, peers and memory', () => {
  it('holds a one-block doc to 2.0× node -e 0', () => {
    expect(checkOneBlockOverNode(200, 100).status).toBe('MET');
    expect(checkOneBlockOverNode(205, 100)).toMatchObject({ status: 'MISSED', detail: '205 ms vs 100 ms (2.05×)' });
  });

  it("shows Node forking Node beside the one-block doc and the corpus's memory, when measured", () => {
    expect(checkOneBlockOverNode(205, 100, 160)).toMatchObject({ status: 'MISSED', detail: '205 ms vs 100 ms (2.05×; Node forking Node, no runbook code: 160 ms, 1.60×)' });
    expect(checkCorpusRss(112 * MiB, 82 * MiB)).toMatchObject({ status: 'MISSED', detail: '112 MiB; Node forking Node, no runbook code: 82 MiB' });
    const targets = issue19Targets({ ours: { corpusMs: 400, oneMs: 190, corpusRss: 90 * MiB }, nodeMs: 100, twoNode: { ms: 150, rss: 80 * MiB }, zx: { reason: 'not installed' }, curves: undefined, cores: 2 });
    expect(targets[2]!.detail).toContain('Node forking Node, no runbook code: 150 ms, 1.50×');
    expect(targets[5]!).toMatchObject({ status: 'MET', detail: '90 MiB; Node forking Node, no runbook code: 80 MiB' });
  });

  it('needs the factor against a peer, or plain speed with factor 1', () => {
    expect(checkAgainstPeer({ what: 'corpus', peerName: 'zx', oursMs: 400, peer: { ms: 4800 }, factor: 12 }).status).toBe('MET');
    expect(checkAgainstPeer({ what: 'corpus', peerName: 'zx', oursMs: 400, peer: { ms: 4700 }, factor: 12 })).toMatchObject({ status: 'MISSED', label: 'corpus ≥ 12× faster than zx' });
    expect(checkAgainstPeer({ what: 'one-block doc', peerName: 'zx', oursMs: 250, peer: { ms: 250 } }).status).toBe('MISSED');
    expect(checkAgainstPeer({ what: 'one-block doc', peerName: 'zx', oursMs: 249, peer: { ms: 250 } }).status).toBe('MET');
  });

  it('skips a peer that was not measured, with the reason', () => {
    const result = checkAgainstPeer({ what: 'corpus', peerName: 'zx', oursMs: 400, peer: { reason: 'not installed (offline)' }, factor: 12 });
    expect(result).toMatchObject({ status: 'SKIPPED', detail: 'zx not measured: not installed (offline)' });
  });

  it('allows the corpus 100 MiB of peak RSS', () => {
    expect(checkCorpusRss(100 * MiB).status).toBe('MET');
    expect(checkCorpusRss(100 * MiB + 1).status).toBe('MISSED');
  });
});

describe('linearity', () => {
  it('meets a straight line with flat memory up to the stated sizes', () => {
    const straight = curve('block', fullBlocks, (n) => 250 + 0.1 * n, (n) => 60 * MiB + KiB * n);
    expect(checkLinearity(straight, blockOptions)).toMatchObject({ status: 'MET', detail: 'r² 1.0000, 1.00×, 1.0 KiB per block' });
  });

  it('misses a cost per block that triples by the last size, though r² stays above 0.98', () => {
    const bending = curve('block', fullBlocks, (n) => 200 + 0.1 * n + 1e-5 * n * n);
    const found = linearity(bending);
    expect(found.wallR2).toBeGreaterThan(limits.linearR2);
    expect(found.largestOverPrediction).toBeGreaterThan(limits.largestOverPrediction);
    expect(checkLinearity(bending, blockOptions).status).toBe('MISSED');
  });

  it('misses a scattered wall (low r²)', () => {
    const scattered = curve('doc', fullDocs, (n) => (n === 500 ? 9000 : 400 + 3 * n));
    expect(linearity(scattered).wallR2).toBeLessThan(limits.linearR2);
    expect(checkLinearity(scattered, { unit: 'doc', upTo: limits.docsUpTo, rssPerUnit: limits.rssPerDoc }).status).toBe('MISSED');
  });

  it('misses memory that grows with the work', () => {
    const growing = curve('doc', fullDocs, (n) => 400 + 3 * n, (n) => 60 * MiB + 100 * KiB * n);
    expect(checkLinearity(growing, { unit: 'doc', upTo: limits.docsUpTo, rssPerUnit: limits.rssPerDoc })).toMatchObject({ status: 'MISSED', detail: 'r² 1.0000, 1.00×, 100.0 KiB per doc' });
  });

  it('skips a curve that stops short of the stated size, showing what it found', () => {
    const quick = checkLinearity(curve('block', [10, 100, 1000], (n) => 250 + n), blockOptions);
    expect(quick.status).toBe('SKIPPED');
    expect(quick.detail).toMatch(/^the curve stops at 1000 blocks \(--curves full reaches 10000\); up to there: r² 1\.0000/);
    expect(checkLinearity(curve('block', [10, 10000], (n) => n), blockOptions).status).toBe('SKIPPED');
  });
});

describe('the whole list', () => {
  const curves = { blocks: curve('block', fullBlocks, (n) => 250 + 0.05 * n), docs: curve('doc', fullDocs, (n) => 400 + 2 * n) };
  const ours = { corpusMs: 350, oneMs: 180, corpusRss: 90 * MiB };

  it('checks every target of issue 19 in order', () => {
    const targets = issue19Targets({ ours, nodeMs: 100, zx: { corpusMs: 5000, oneMs: 250 }, curves, cores: 2 });
    expect(targets.map((t) => t.status)).toEqual(Array(8).fill('MET'));
    expect(targets.map((t) => t.label.split(' (')[0])).toEqual([
      'marginal trivial block ≤ 0.1 ms',
      'marginal 10-block doc ≤ 3 ms',
      'one-block doc ≤ 2.0× node -e 0',
      'corpus ≥ 12× faster than zx',
      'one-block doc faster than zx',
      'corpus peak RSS ≤ 100 MiB',
      'linear up to 10000 blocks, memory flat',
      'linear up to 2000 docs, memory flat',
    ]);
  });

  it('skips what needs zx or the curves when they were not measured', () => {
    const targets = issue19Targets({ ours, nodeMs: 100, zx: { reason: 'peers left out (--no-peers)' }, curves: undefined, cores: 2 });
    expect(targets.map((t) => t.status)).toEqual(['SKIPPED', 'SKIPPED', 'MET', 'SKIPPED', 'SKIPPED', 'MET', 'SKIPPED', 'SKIPPED']);
    expect(formatTarget(targets[3]!)).toBe('  SKIPPED corpus ≥ 12× faster than zx: zx not measured: peers left out (--no-peers)');
  });

  it('keeps the earlier peer targets', () => {
    const earlier = earlierPeerTargets({ ours, doctest: { corpusMs: 600, oneMs: 500 }, deno: { reason: 'not installed' } });
    expect(earlier.map((t) => [t.label, t.status])).toEqual([
      ['corpus ≥ 2× faster than markdown-doctest', 'MISSED'],
      ['corpus ≥ 20× faster than deno', 'SKIPPED'],
      ['one-block doc faster than markdown-doctest', 'MET'],
    ]);
  });
});

describe('sizes that failed to run', () => {
  const failing = (sizes: number[], failedSize: number): Curve => ({
    ...curve('block', sizes.filter((size) => size !== failedSize), (n) => 250 + 0.05 * n),
    failures: [{ size: failedSize, reason: 'exit 1: timed out after 30000 ms' }],
  });

  it('misses linearity when a size up to the stated one failed', () => {
    expect(checkLinearity(failing(fullBlocks, 10000), blockOptions)).toMatchObject({ status: 'MISSED', detail: '10000 blocks failed: exit 1: timed out after 30000 ms' });
  });

  it('skips a marginal target whose size failed, naming the failure', () => {
    expect(checkMarginalBlock(failing(fullBlocks, 1000))).toMatchObject({ status: 'SKIPPED', detail: '1000 blocks failed: exit 1: timed out after 30000 ms' });
    expect(checkMarginalBlock(failing(fullBlocks, 3000)).status).toBe('MET');
  });
});
