// The runner at scale, through the real CLI: a corpus of docs with --jobs 2
// (the worker pool) against one CLI process per doc, 2 at a time, measured in
// alternating rounds of the same run; then the cost per doc from 10 to 400 docs.
// Target: the 20-doc × 10-block corpus with --jobs 2 in ≤ 0.5 s wall.
//
// Run after `npm run build`:
//   node bench/runner-scale.mjs [--rounds 9] [--sizes 10,50,100,200,400] [--curve-rounds 3] [--per-doc-max 100] [--cli path/to/runbook.js]
// The corpus is written to bench/.corpus/ (ignored by git); --sizes '' skips the curve.
// BENCH_VERBOSE=1 prints every round. Wall times need a quiet machine; CPU times less so.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: {
    rounds: { type: 'string', default: '9' },
    sizes: { type: 'string', default: '10,50,100,200,400' },
    'curve-rounds': { type: 'string', default: '3' },
    // One process per doc costs a CLI start per doc: past this size the curve shows the pool only.
    'per-doc-max': { type: 'string', default: '100' },
    // Another build of the CLI (e.g. a copy of bin/ and dist/ that a parallel rebuild cannot touch).
    cli: { type: 'string' },
  },
});
const ROUNDS = Number(values.rounds);
const SIZES = values.sizes.split(',').filter(Boolean).map(Number);
const CURVE_ROUNDS = Number(values['curve-rounds']);
const PER_DOC_MAX = Number(values['per-doc-max']);
const JOBS = 2;
const TARGET_MS = 500;
const verbose = process.env.BENCH_VERBOSE === '1';

const root = fileURLToPath(new URL('..', import.meta.url));
const cli = values.cli ? resolve(values.cli) : join(root, 'bin', 'runbook.js');
const corpusRoot = join(root, 'bench', '.corpus');
if (!values.cli && !existsSync(join(root, 'dist', 'runbook.cjs'))) {
  console.error('dist/ is missing: run `npm run build` first.');
  process.exit(1);
}

// Ten small ts blocks that build on each other's bindings, the last one checks them.
function docText(index) {
  const blocks = [
    `interface Tally { count: number; seen: string[] }\nconst tally: Tally = { count: 0, seen: [] }\nconst docNumber: number = ${index}`,
    `function add(name: string, by = 1): number {\n  tally.count += by\n  tally.seen.push(name)\n  return tally.count\n}`,
    `add('first')\nconsole.log('count', tally.count)`,
    `const doubled = [1, 2, 3].map((n) => n * 2)\nadd('doubled', doubled.length)`,
    `const answer = await Promise.resolve(docNumber + 1)\nadd('async')`,
    `type Pair = [string, number]\nconst pairs: Pair[] = tally.seen.map((name, i) => [name, i])\nadd('pairs', pairs.length)`,
    `class Counter {\n  constructor(private start: number) {}\n  next(): number { return ++this.start }\n}\nconst counter = new Counter(tally.count)`,
    `add('counter', counter.next() - tally.count)\nconsole.log(tally.seen.join(','))`,
    `const summary = { ...tally, answer }\nJSON.stringify(summary).length`,
    `if (tally.count !== 9 || answer !== docNumber + 1) throw new Error(\`bad tally \${tally.count}\`)`,
  ];
  const fences = blocks.map((code, i) => `Step ${i + 1}.\n\n\`\`\`ts\n${code}\n\`\`\`\n`).join('\n');
  return `---\ntitle: Bench doc ${index}\n---\n\n# Bench doc ${index}\n\n${fences}`;
}

/** Writes `count` docs into bench/.corpus/<count>/ and returns the folder and the doc paths. */
function writeCorpus(count) {
  const dir = join(corpusRoot, String(count));
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const paths = [];
  for (let i = 0; i < count; i++) {
    const path = join(dir, `doc-${String(i).padStart(3, '0')}.md`);
    writeFileSync(path, docText(i));
    paths.push(path);
  }
  return { dir, paths };
}

// CPU time of every finished child process and its waited-for descendants (Linux:
// cutime + cstime of /proc/self/stat, in clock ticks of 10 ms). Less sensitive to
// other load on the machine than wall time. Undefined elsewhere.
function childrenCpuMs() {
  try {
    const fields = readFileSync('/proc/self/stat', 'utf8').split(') ')[1].split(' ');
    return (Number(fields[13]) + Number(fields[14])) * 10;
  } catch {
    return undefined;
  }
}

/** Runs the CLI and resolves with its wall time in ms; any failure ends the bench. */
function timeCli(args) {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, [cli, 'run', ...args, '--no-stamp', '--reporter', 'pretty'], {
      cwd: root,
      env: { ...process.env, NO_COLOR: '1', CI: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.on('error', reject);
    child.on('close', (code) => {
      const ms = performance.now() - started;
      if (code !== 0) reject(new Error(`runbook run ${args.join(' ')} exited ${code}:\n${output}`));
      else resolve(ms);
    });
  });
}

/** Wall and CPU time (of all processes it started) of one measured run. */
async function measure(run) {
  const cpuBefore = childrenCpuMs();
  const started = performance.now();
  await run();
  const wall = performance.now() - started;
  const cpuAfter = childrenCpuMs();
  return { wall, cpu: cpuBefore === undefined ? NaN : cpuAfter - cpuBefore };
}

const pooled = (dir) => measure(() => timeCli([dir, '--jobs', String(JOBS)]));

/** One CLI per doc, JOBS at a time: the fallback the pool must beat. */
const perDoc = (paths) =>
  measure(async () => {
    let next = 0;
    const lane = async () => {
      while (next < paths.length) await timeCli([paths[next++], '--jobs', '1']);
    };
    await Promise.all(Array.from({ length: JOBS }, lane));
  });

const median = (list) => {
  const sorted = [...list].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};
const fmt = (ms) => `${ms.toFixed(0).padStart(6)} ms`;
const range = (list) => `${Math.min(...list).toFixed(0)}–${Math.max(...list).toFixed(0)}`;
const load = () => loadavg().map((n) => n.toFixed(2)).join(' ');

console.log(`node ${process.version}, ${availableParallelism()} cores, load average ${load()}`);

// 1. The 20 × 10 corpus, pool against one process per doc, alternating so load drifts hit both.
const small = writeCorpus(20);
await pooled(small.dir); // warm the file cache and esbuild's binary
const pool = [];
const single = [];
for (let round = 1; round <= ROUNDS; round++) {
  const a = await pooled(small.dir);
  const b = await perDoc(small.paths);
  pool.push(a);
  single.push(b);
  if (verbose) console.log(`round ${round}: --jobs ${JOBS} ${fmt(a.wall)} (cpu ${fmt(a.cpu)})   one process per doc ${fmt(b.wall)} (cpu ${fmt(b.cpu)})`);
}
const wall = (list) => list.map((m) => m.wall);
const cpu = (list) => list.map((m) => m.cpu);
const poolMedian = median(wall(pool));
const ratios = pool.map((a, i) => single[i].wall / a.wall);
console.log(`\n20 docs × 10 blocks, ${ROUNDS} alternating rounds: median wall (min–max), median CPU of all processes`);
console.log(`  --jobs ${JOBS} (pool)         ${fmt(poolMedian)} (${range(wall(pool))})   cpu ${fmt(median(cpu(pool)))}`);
console.log(`  one process per doc     ${fmt(median(wall(single)))} (${range(wall(single))})   cpu ${fmt(median(cpu(single)))}`);
console.log(`  one-per-doc / pool: wall ×${(median(wall(single)) / poolMedian).toFixed(2)} (median of paired rounds ×${median(ratios).toFixed(2)}), cpu ×${(median(cpu(single)) / median(cpu(pool))).toFixed(2)}`);
console.log(`  target ≤ ${TARGET_MS} ms wall: ${poolMedian <= TARGET_MS ? 'met' : `MISSED by ${(poolMedian - TARGET_MS).toFixed(0)} ms`}`);

// 2. The scaling curve: cost per doc should stay flat as the corpus grows.
console.log(`\nscaling, median of ${CURVE_ROUNDS} (one process per doc only up to ${PER_DOC_MAX} docs):`);
console.log('   docs   --jobs 2 wall   per doc   cpu/doc    one-per-doc   per doc   cpu/doc');
for (const size of SIZES) {
  const corpus = writeCorpus(size);
  const a = [];
  const b = [];
  for (let round = 0; round < CURVE_ROUNDS; round++) {
    a.push(await pooled(corpus.dir));
    if (size <= PER_DOC_MAX) b.push(await perDoc(corpus.paths));
  }
  const cells = (list) => {
    const w = median(wall(list));
    return `${fmt(w)}  ${(w / size).toFixed(1).padStart(6)} ms  ${(median(cpu(list)) / size).toFixed(1).padStart(6)} ms`;
  };
  console.log(`  ${String(size).padStart(5)}  ${cells(a)}   ${b.length ? cells(b) : ''}`);
}
console.log(`\nload average at the end: ${load()}`);
