// How runbook's cost grows: one doc of N blocks, and N docs of 10 blocks (the
// corpus's docs), at the sizes `--curves` picks (flags.mjs), with the
// default schedule. Per point: median wall and CPU over the rounds, and the
// largest peak RSS of the process tree (supervisor and executors, measure.mjs).
// Per curve: a line fitted to wall and one to peak RSS. A straight line (high
// r², steady cost per added unit) means no hidden quadratic step; the
// intercept is the fixed cost of a run, the RSS slope what each unit keeps.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { docText } from './corpus.mjs';
import { formatKiB, formatMiB, formatMs, linearFit, median, showProgress, table } from './report.mjs';

// The curves' runs are long and keep both cores busy: polled for peak RSS every 50 ms, and
// without PSS (not shown for them), so that the polling does not slow what it measures (measure.mjs).
const sampling = { pollMs: 50, pss: false };

/** Writes `docs` docs of `blocks` blocks into a fresh `dir`; the CLI is given the folder. */
function writeDocs(dir, docs, blocks) {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  for (let doc = 1; doc <= docs; doc++) writeFileSync(join(dir, `doc-${String(doc).padStart(5, '0')}.md`), docText('runbook', doc, blocks));
  return dir;
}

function summarise(size, runs) {
  const largest = (key) => Math.max(...runs.map((run) => run[key]));
  return {
    size,
    wallMs: median(runs.map((run) => run.wallMs)),
    cpuMs: median(runs.map((run) => run.cpuMs)),
    peakRss: largest('peakRss'),
    rootPeakRss: largest('rootPeakRss'),
    processes: largest('processes'),
  };
}

// Round 0 fills the caches and checks every size passes; sizes alternate order
// between rounds so a drift in the machine's load does not favour one end. A
// size that fails is dropped from later rounds and kept as a failure (the
// targets name it), so one failing size does not cost the rest of a long run.
async function measureCurve({ label, unit, sizes, folderFor, cli, env, rounds, measure }) {
  const folders = new Map(sizes.map((size) => [size, folderFor(size)]));
  const runs = new Map(sizes.map((size) => [size, []]));
  const failures = new Map();
  for (let round = 0; round <= rounds; round++) {
    for (const size of round % 2 ? [...sizes].reverse() : sizes) {
      if (failures.has(size)) continue;
      showProgress(`${label}: ${size} ${unit}s, ${round ? `round ${round}/${rounds}` : 'warm-up'}`);
      const result = await measure(cli, ['run', folders.get(size), '--no-stamp'], { env, ...sampling });
      if (result.code !== 0) failures.set(size, `exit ${result.code}: ${(result.stderr || result.stdout).trim().split('\n').slice(-3).join(' | ')}`);
      else if (round > 0) runs.get(size).push(result);
    }
  }
  showProgress('');
  return {
    label,
    unit,
    folders,
    points: sizes.filter((size) => !failures.has(size)).map((size) => summarise(size, runs.get(size))),
    failures: [...failures].map(([size, reason]) => ({ size, reason })),
  };
}

/** The curve's table (one row per size), its failures and its two fitted lines. */
function formatCurve(curve, rounds) {
  const { unit, points } = curve;
  const rows = points.map((point, i) => {
    const previous = points[i - 1];
    const marginal = previous ? (point.wallMs - previous.wallMs) / (point.size - previous.size) : NaN;
    return [
      String(point.size),
      formatMs(point.wallMs),
      `${(point.wallMs / point.size).toFixed(3)} ms`,
      Number.isFinite(marginal) ? `${marginal.toFixed(3)} ms` : '',
      formatMs(point.cpuMs),
      formatMiB(point.peakRss),
      formatMiB(point.rootPeakRss),
      String(point.processes),
    ];
  });
  const lines = [
    `\n${curve.label}: median wall and CPU of ${rounds} rounds; peak RSS the largest over the rounds of the summed VmHWM`,
    `of the live process tree (supervisor + executors), supervisor its own VmHWM, processes how many the tree held:`,
    table([[`${unit}s`, 'wall', `per ${unit}`, 'marginal', 'CPU', 'peak RSS', 'supervisor', 'processes'], ...rows]),
    ...curve.failures.map(({ size, reason }) => `  FAILED at ${size} ${unit}s: ${reason}`),
  ];
  if (points.length >= 2) {
    const wall = linearFit(points.map((p) => [p.size, p.wallMs]));
    const rss = linearFit(points.map((p) => [p.size, p.peakRss]));
    lines.push(
      `  fit: wall ≈ ${wall.intercept.toFixed(0)} ms + ${wall.slope.toFixed(3)} ms × ${unit}s, r² = ${wall.r2.toFixed(4)}`,
      `  fit: peak RSS ≈ ${formatMiB(rss.intercept)} + ${formatKiB(rss.slope)} × ${unit}s, r² = ${rss.r2.toFixed(4)}`,
    );
  }
  return lines.join('\n');
}

const retainedHeapPreload = fileURLToPath(new URL('./retained-heap.cjs', import.meta.url));

/**
 * The JS heap runbook's processes hold after a full collection at the end of
 * one run of `folder` (see retained-heap.cjs): the supervisor's, and the
 * largest executor's after its last doc (a run of more docs may start another
 * executor, which is not what a doc kept). Undefined when the run failed.
 */
async function retainedHeap({ cli, env, measure, folder, logFile }) {
  rmSync(logFile, { force: true });
  const nodeOptions = [process.env.NODE_OPTIONS, `--require "${retainedHeapPreload}"`].filter(Boolean).join(' ');
  const result = await measure(cli, ['run', folder, '--no-stamp'], { env: { ...env, NODE_OPTIONS: nodeOptions, RUNBOOK_BENCH_HEAP_LOG: logFile }, ...sampling });
  if (result.code !== 0) return undefined;
  const last = new Map();
  for (const line of readFileSync(logFile, 'utf8').trim().split('\n')) {
    const [role, pid, bytes] = line.split(' ');
    last.set(pid, { role, bytes: Number(bytes) });
  }
  const largest = (role) => Math.max(0, ...[...last.values()].filter((each) => each.role === role).map((each) => each.bytes));
  return { supervisor: largest('supervisor'), executor: largest('executor') };
}

/** Retained heap at a curve's smallest and largest size, and what each unit between them kept. */
async function retainedGrowth({ cli, env, measure, curve, dir }) {
  const sizes = curve.points.map((point) => point.size);
  if (sizes.length < 2) return undefined;
  const [small, large] = [sizes[0], sizes.at(-1)];
  const logFile = join(dir, 'retained-heap.log');
  const at = async (size) => retainedHeap({ cli, env, measure, folder: curve.folders.get(size), logFile });
  const [before, after] = [await at(small), await at(large)];
  if (!before || !after) return undefined;
  const perUnit = (role) => (after[role] - before[role]) / (large - small);
  return { small, large, before, after, supervisorPerUnit: perUnit('supervisor'), executorPerUnit: perUnit('executor') };
}

function formatRetained(growth, unit) {
  if (!growth) return '  retained heap: not measured (a run failed)';
  const { small, large, before, after } = growth;
  const mib = (bytes) => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
  return (
    `  retained JS heap after a full collection, supervisor and largest executor: ${mib(before.supervisor)} and ${mib(before.executor)} at ${small} ${unit}s, ` +
    `${mib(after.supervisor)} and ${mib(after.executor)} at ${large}: ${formatKiB(growth.supervisorPerUnit)} and ${formatKiB(growth.executorPerUnit)} per ${unit}`
  );
}

/**
 * Measures and prints the per-block curve (and, with `cachesOff`, the same doc
 * with RUNBOOK_CACHE=off) and the per-doc curve at `sizes` { blocks, docs }.
 * `env` points runbook at the bench's own cache. Returns { blocks, docs }, the warm curves.
 */
export async function runCurves({ sizes, cachesOff, cli, dir, env, rounds, measure }) {
  const common = { cli, rounds, measure };
  const blockFolder = (size) => writeDocs(join(dir, `blocks-${size}`), 1, size);
  const curves = {};
  curves.blocks = await measureCurve({ ...common, label: 'Per-block cost: one doc of N blocks', unit: 'block', sizes: sizes.blocks, folderFor: blockFolder, env });
  curves.blocks.retained = await retainedGrowth({ cli, env, measure, curve: curves.blocks, dir });
  console.log(formatCurve(curves.blocks, rounds));
  console.log(formatRetained(curves.blocks.retained, 'block'));
  if (cachesOff) {
    const cold = await measureCurve({ ...common, label: 'Per-block cost, RUNBOOK_CACHE=off', unit: 'block', sizes: sizes.blocks, folderFor: blockFolder, env: { RUNBOOK_CACHE: 'off' } });
    console.log(formatCurve(cold, rounds));
  }
  const docFolder = (size) => writeDocs(join(dir, `docs-${size}`), size, 10);
  curves.docs = await measureCurve({ ...common, label: 'Per-doc cost: N docs of 10 blocks, default schedule', unit: 'doc', sizes: sizes.docs, folderFor: docFolder, env });
  curves.docs.retained = await retainedGrowth({ cli, env, measure, curve: curves.docs, dir });
  console.log(formatCurve(curves.docs, rounds));
  console.log(formatRetained(curves.docs.retained, 'doc'));
  return curves;
}
