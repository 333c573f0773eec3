// The targets of issue 19 (and the peer targets before it), each checked by a
// function of measured numbers alone, so the MET/MISSED logic is unit-tested
// with synthetic figures (test/bench/targets.test.ts) and the bench only feeds it.
import { formatKiB, formatMiB, formatMs, linearFit } from './report.mjs';

const KiB = 1024;
const MiB = 1024 * KiB;

export const limits = {
  marginalBlockMs: 0.1,
  marginalDocMs: 3,
  oneBlockOverNode: 2,
  corpusOverZx: 12,
  corpusPeakRss: 100 * MiB,
  // Linearity: the line explains the wall times, and the largest size costs no
  // more than the line through the smaller sizes predicts, give or take 20 %
  // (r² alone passes 200 + 0.1x + 1e-5x² ms at 10…10,000 blocks, 0.989, though
  // its cost per block has tripled by the end).
  linearR2: 0.98,
  largestOverPrediction: 1.2,
  // Memory flat: what the process tree's peak may grow per unit. A block's own
  // state, its source and its result may stay; an executor's memory per doc may not.
  rssPerBlock: 2 * KiB,
  rssPerDoc: 16 * KiB,
  blocksUpTo: 10_000,
  docsUpTo: 2_000,
};

const result = (label, met, detail) => ({ label, status: met ? 'MET' : 'MISSED', detail });
const skipped = (label, detail) => ({ label, status: 'SKIPPED', detail });

/** Ms per unit between two sizes of a curve, of wall (or of `key`, e.g. cpuMs); undefined when the curve lacks either size. */
export function marginalCost(curve, from, to, key = 'wallMs') {
  const at = (size) => curve?.points.find((point) => point.size === size);
  const [a, b] = [at(from), at(to)];
  return a && b ? (b[key] - a[key]) / (to - from) : undefined;
}

// The first size the target needs that the curve could not run, as "N units failed: why".
function failureAmong(curve, needed) {
  const failure = curve.failures?.find(({ size }) => needed(size));
  return failure && `${failure.size} ${curve.unit}s failed: ${failure.reason}`;
}

// Judged on wall; the CPU marginal is shown beside it because on a busy machine
// wall also counts the time spent waiting for a core, and CPU tells the two apart.
function checkMarginal(label, curve, from, to, limitMs, note = '') {
  const perUnit = marginalCost(curve, from, to);
  if (perUnit === undefined) return skipped(label, curve ? (failureAmong(curve, (size) => size === from || size === to) ?? `the curve has no ${from} and ${to} points`) : 'curves not measured (--curves off)');
  const cpu = marginalCost(curve, from, to, 'cpuMs');
  const cpuNote = Number.isFinite(cpu) ? ` (CPU ${cpu.toFixed(3)} ms)` : '';
  return result(label, perUnit <= limitMs, `${perUnit.toFixed(3)} ms${cpuNote}${note}`);
}

/** Marginal trivial block ≤ 0.1 ms: a 1000-block doc against a 10-block doc. */
export function checkMarginalBlock(blockCurve) {
  return checkMarginal(`marginal trivial block ≤ ${limits.marginalBlockMs} ms (1000-block doc against 10-block doc)`, blockCurve, 10, 1000, limits.marginalBlockMs);
}

/** Marginal 10-block doc ≤ 3 ms: 200 docs against 20 docs, default schedule; the target is stated for 2 cores. */
export function checkMarginalDoc(docCurve, cores) {
  const note = cores === 2 ? ' on 2 cores' : ` on ${cores} cores (the target is stated for 2)`;
  return checkMarginal(`marginal 10-block doc ≤ ${limits.marginalDocMs} ms (200 docs against 20 docs, default schedule)`, docCurve, 20, 200, limits.marginalDocMs, note);
}

// What two Node processes cost before any runbook code runs (two-node-floor.cjs): shown beside
// a target it bounds, so that a miss says how much of it is left to runbook's own code.
function twoNodeNote(format, figure, nodeFigure) {
  if (figure === undefined) return '';
  const ratio = nodeFigure === undefined ? '' : `, ${(figure / nodeFigure).toFixed(2)}×`;
  return `; Node forking Node, no runbook code: ${format(figure)}${ratio}`;
}

/**
 * One-block doc ≤ 2.0× `node -e 0`, both medians of the same alternating rounds;
 * `twoNodeMs`, when measured, is the wall time of Node forking Node (a floor for it).
 */
export function checkOneBlockOverNode(oneMs, nodeMs, twoNodeMs) {
  const ratio = oneMs / nodeMs;
  const floor = twoNodeNote(formatMs, twoNodeMs, nodeMs);
  return result(`one-block doc ≤ ${limits.oneBlockOverNode.toFixed(1)}× node -e 0`, ratio <= limits.oneBlockOverNode, `${formatMs(oneMs)} vs ${formatMs(nodeMs)} (${ratio.toFixed(2)}×${floor})`);
}

/**
 * runbook against a peer on the corpus or the one-block doc: ≥ `factor`× faster,
 * or, with factor 1, faster at all. `peer` is { ms } when measured, else { reason }.
 */
export function checkAgainstPeer({ what, peerName, oursMs, peer, factor = 1 }) {
  const label = factor > 1 ? `${what} ≥ ${factor}× faster than ${peerName}` : `${what} faster than ${peerName}`;
  if (peer.ms === undefined) return skipped(label, `${peerName} not measured: ${peer.reason}`);
  const ratio = peer.ms / oursMs;
  const met = factor > 1 ? ratio >= factor : ratio > 1;
  return result(label, met, `${formatMs(oursMs)} vs ${formatMs(peer.ms)} (${ratio.toFixed(1)}×)`);
}

/** Corpus peak RSS ≤ 100 MiB, the process tree's (supervisor and executors); `twoNodeRss` as `twoNodeMs` above. */
export function checkCorpusRss(peakRss, twoNodeRss) {
  return result(`corpus peak RSS ≤ ${formatMiB(limits.corpusPeakRss)}`, peakRss <= limits.corpusPeakRss, `${formatMiB(peakRss)}${twoNodeNote(formatMiB, twoNodeRss)}`);
}

/**
 * The numbers the linearity verdict rests on: r² of wall against size, the
 * largest size's wall over the line fitted to the smaller sizes, and the slope
 * of peak RSS (bytes per unit).
 */
export function linearity(curve) {
  const points = [...curve.points].sort((a, b) => a.size - b.size);
  const last = points.at(-1);
  const before = linearFit(points.slice(0, -1).map((p) => [p.size, p.wallMs]));
  const predicted = before.intercept + before.slope * last.size;
  return {
    largestSize: last.size,
    wallR2: linearFit(points.map((p) => [p.size, p.wallMs])).r2,
    // A line falling below zero predicts nothing: count that as a miss, not a ratio.
    largestOverPrediction: predicted > 0 ? last.wallMs / predicted : Infinity,
    rssPerUnit: linearFit(points.map((p) => [p.size, p.peakRss])).slope,
  };
}

/**
 * Cost linear in `unit`s up to `upTo`, memory flat: missed when a size up to
 * `upTo` failed to run, skipped when the curve stops short of `upTo`.
 */
export function checkLinearity(curve, { unit, upTo, rssPerUnit }) {
  const label = `linear up to ${upTo} ${unit}s, memory flat (wall r² ≥ ${limits.linearR2}, largest size ≤ ${limits.largestOverPrediction}× the line of the smaller ones, peak RSS ≤ ${formatKiB(rssPerUnit)} per ${unit})`;
  if (!curve) return skipped(label, 'curves not measured (--curves off)');
  const failure = failureAmong(curve, (size) => size <= upTo);
  if (failure) return result(label, false, failure);
  if (curve.points.length < 3) return skipped(label, `a line needs 3 sizes or more, the curve has ${curve.points.length}`);
  const found = linearity(curve);
  const detail = `r² ${found.wallR2.toFixed(4)}, ${found.largestOverPrediction.toFixed(2)}×, ${formatKiB(found.rssPerUnit)} per ${unit}`;
  if (found.largestSize < upTo) return skipped(label, `the curve stops at ${found.largestSize} ${unit}s (--curves full reaches ${upTo}); up to there: ${detail}`);
  const met = found.wallR2 >= limits.linearR2 && found.largestOverPrediction <= limits.largestOverPrediction && found.rssPerUnit <= rssPerUnit;
  return result(label, met, detail);
}

// A peer's { corpusMs, oneMs } or { reason } → what checkAgainstPeer takes for one of them.
const peerFigure = (figures, key) => (figures.reason === undefined ? { ms: figures[key] } : { reason: figures.reason });

/**
 * Every target of issue 19, from one run's figures:
 * `ours` { corpusMs, oneMs, corpusRss }, `nodeMs` (node -e 0), `zx` { corpusMs, oneMs } or
 * { reason }, `curves` { blocks, docs } or undefined, `cores`.
 */
export function issue19Targets({ ours, nodeMs, twoNode, zx, curves, cores }) {
  return [
    checkMarginalBlock(curves?.blocks),
    checkMarginalDoc(curves?.docs, cores),
    checkOneBlockOverNode(ours.oneMs, nodeMs, twoNode?.ms),
    checkAgainstPeer({ what: 'corpus', peerName: 'zx', oursMs: ours.corpusMs, peer: peerFigure(zx, 'corpusMs'), factor: limits.corpusOverZx }),
    checkAgainstPeer({ what: 'one-block doc', peerName: 'zx', oursMs: ours.oneMs, peer: peerFigure(zx, 'oneMs') }),
    checkCorpusRss(ours.corpusRss, twoNode?.rss),
    checkLinearity(curves?.blocks, { unit: 'block', upTo: limits.blocksUpTo, rssPerUnit: limits.rssPerBlock }),
    checkLinearity(curves?.docs, { unit: 'doc', upTo: limits.docsUpTo, rssPerUnit: limits.rssPerDoc }),
  ];
}

/** The peer targets set before issue 19; `doctest` and `deno` as `zx` above. */
export function earlierPeerTargets({ ours, doctest, deno }) {
  return [
    checkAgainstPeer({ what: 'corpus', peerName: 'markdown-doctest', oursMs: ours.corpusMs, peer: peerFigure(doctest, 'corpusMs'), factor: 2 }),
    checkAgainstPeer({ what: 'corpus', peerName: 'deno', oursMs: ours.corpusMs, peer: peerFigure(deno, 'corpusMs'), factor: 20 }),
    checkAgainstPeer({ what: 'one-block doc', peerName: 'markdown-doctest', oursMs: ours.oneMs, peer: peerFigure(doctest, 'oneMs') }),
  ];
}

/** One line per target: status, what it asks, what was measured. */
export function formatTarget({ label, status, detail }) {
  return `  ${status.padEnd(7)} ${label}: ${detail}`;
}
