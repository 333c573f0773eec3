// `npm run bench`: runbook against the doc runners people might use instead,
// on the same corpus, in alternating rounds of one run; then how runbook's cost
// grows with blocks per doc and with docs per run; then every target of issue 19,
// MET, MISSED or SKIPPED (with the reason), from this run's figures alone.
//
//   node bench/run.mjs [--rounds 7] [--curves full|quick|off] [--curve-rounds 3]
//                      [--curve-caches-off] [--no-peers] [--cli path/to/runbook.js]
//
//   --rounds N          measured rounds of the comparison (after one warm-up round)
//   --curves full       the curves at the sizes the targets are stated for: one doc of
//                       10…10,000 blocks, 20…2,000 docs of 10 blocks (several minutes)
//   --curves quick      10…1,000 blocks, 20…200 docs: a smoke run (the marginal targets
//                       are still checked; linearity is skipped, it is stated for the full sizes)
//   --curves off        no curves (their targets are skipped)
//   --curve-rounds N    measured rounds per curve point (after one warm-up round)
//   --curve-caches-off  also the per-block curve with RUNBOOK_CACHE=off
//   --no-peers          leave out zx, markdown-doctest and deno (their targets are skipped)
//   --cli PATH          another build of runbook's bin/runbook.js
//
// Writes its corpus to bench/.corpus/compare/ and installs the peers into
// bench/.peers/ (both ignored by git). Needs a built dist/ (`npm run build`).
import { existsSync, readFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeCorpus } from './compare/corpus.mjs';
import { runCurves } from './compare/curves.mjs';
import { parseBenchFlags } from './compare/flags.mjs';
import { installPeers } from './compare/install.mjs';
import { measure, measureEach } from './compare/measure.mjs';
import { formatKiB, formatMiB, formatMs, formatRatio, median, showProgress, table } from './compare/report.mjs';
import { earlierPeerTargets, formatTarget, issue19Targets } from './compare/targets.mjs';

let options;
try {
  options = parseBenchFlags(process.argv.slice(2));
} catch (error) {
  console.error(error.message);
  process.exit(2);
}
const { rounds } = options;
const root = fileURLToPath(new URL('..', import.meta.url));
const cli = options.cli ? resolve(options.cli) : join(root, 'bin', 'runbook.js');
const corpusDir = join(root, 'bench', '.corpus', 'compare');
const peersDir = join(root, 'bench', '.peers');
if (!options.cli && !existsSync(join(root, 'dist', 'runbook.cjs'))) {
  console.error('dist/ is missing: run `npm run build` first.');
  process.exit(1);
}
const node = process.execPath;
const version = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).version;
// A cache folder of the bench's own: the first (discarded) round fills it.
const cacheEnv = { RUNBOOK_CACHE_DIR: join(corpusDir, 'transpile-cache') };

const cores = availableParallelism();
console.log(`runbook ${version} benchmark — node ${process.version}, ${cores} cores, load average ${loadavg()[0].toFixed(2)}`);
const files = writeCorpus(corpusDir);
const peers = options.peers ? installPeers(peersDir) : {};

// Each tool: how it runs the corpus and the one-block doc, in the form it
// understands. Each is started as its installed command is (its bin file,
// through its shebang), as `npx`, npm scripts and a shell start it.
const tools = [
  {
    name: `runbook ${version}`,
    form: '20 docs in one call (--no-stamp), ```ts blocks sharing state; code, doc and transpile caches warm',
    corpus: [{ command: cli, args: ['run', ...files.runbook, '--no-stamp'], options: { env: cacheEnv } }],
    one: [{ command: cli, args: ['run', ...files['runbook-one'], '--no-stamp'], options: { env: cacheEnv } }],
    ours: true,
  },
  {
    name: 'runbook --jobs 1',
    form: 'same, one executor process for every doc (the default starts one per core)',
    corpus: [{ command: cli, args: ['run', ...files.runbook, '--no-stamp', '--jobs', '1'], options: { env: cacheEnv } }],
  },
  {
    name: 'runbook, caches off',
    form: 'same, RUNBOOK_CACHE=off: no code, doc or transpile cache; every block goes through esbuild (batched per doc)',
    corpus: [{ command: cli, args: ['run', ...files.runbook, '--no-stamp'], options: { env: { RUNBOOK_CACHE: 'off' } } }],
    one: [{ command: cli, args: ['run', ...files['runbook-one'], '--no-stamp'], options: { env: { RUNBOOK_CACHE: 'off' } } }],
  },
];
const skipped = [];
for (const [name, peer] of Object.entries(peers)) {
  if (peer.error) {
    skipped.push(`${name}: ${peer.error}`);
    continue;
  }
  const label = `${name} ${peer.version.replace(/^(deno |v)/, '').split(' ')[0]}`;
  if (name === 'zx') {
    tools.push({
      name: label,
      form: '20 calls, one .md per call (zx runs Markdown), ```js blocks (zx has no TypeScript on Node 20)',
      corpus: files.zx.map((file) => ({ command: peer.path, args: [file] })),
      one: [{ command: peer.path, args: files['zx-one'] }],
    });
  } else if (name === 'markdown-doctest') {
    tools.push({
      name: label,
      form: "one call on a glob, ```js blocks under <!-- share-code-between-examples --> (babel on, its default)",
      corpus: [{ command: peer.path, args: ['*.md'], options: { cwd: join(corpusDir, 'doctest') } }],
      one: [{ command: peer.path, args: ['*.md'], options: { cwd: join(corpusDir, 'doctest-one') } }],
    });
  } else if (name === 'deno') {
    const env = { DENO_DIR: join(peersDir, 'deno-dir'), NO_COLOR: '1', DENO_NO_UPDATE_CHECK: '1' };
    tools.push({
      name: label,
      form: "deno test --doc --no-config on all 20 files in one call (--no-config: this repo's package.json would make deno analyse node_modules on every run), self-contained ```ts blocks, type-check cache warm",
      corpus: [{ command: peer.path, args: ['test', '--doc', '--no-config', ...files.deno], options: { env } }],
      one: [{ command: peer.path, args: ['test', '--doc', '--no-config', ...files['deno-one']], options: { env } }],
    });
  }
}
tools.push({ name: 'node -e 0', form: "Node's own start: the floor", one: [{ command: node, args: ['-e', '0'] }], floor: true });
tools.push({
  name: 'Node forking Node',
  form: 'bench/compare/two-node-floor.cjs: a Node process started as bin/runbook.js is forks another over an IPC channel, as runbook forks an executor, and no runbook code runs: the floor of a supervisor and an executor',
  one: [{ command: fileURLToPath(new URL('./compare/two-node-floor.cjs', import.meta.url)) }],
  floor: true,
});

// Round 0 warms every cache (ours, deno's type-check cache, the OS's) and checks that every tool passes.
const samples = new Map(tools.map((tool) => [tool.name, { corpus: [], one: [], corpusRss: [], oneRss: [], corpusPss: [], corpusCpu: [], oneCpu: [] }]));
const broken = new Map();
for (let round = 0; round <= rounds; round++) {
  // Alternate the order so no tool always runs right after a particular other one.
  const order = round % 2 ? [...tools].reverse() : tools;
  for (const tool of order) {
    if (broken.has(tool.name)) continue;
    for (const kind of ['corpus', 'one']) {
      if (!tool[kind]) continue;
      const result = await measureEach(tool[kind]);
      if (result.code !== 0) {
        broken.set(tool.name, `${kind} run failed (exit ${result.code}): ${(result.stderr || result.stdout).trim().split('\n').slice(-4).join(' | ')}`);
        break;
      }
      if (round === 0) continue;
      samples.get(tool.name)[kind].push(result.wallMs);
      samples.get(tool.name)[`${kind}Rss`].push(result.peakRss);
      if (kind === 'corpus') samples.get(tool.name).corpusPss.push(result.peakPss);
      samples.get(tool.name)[`${kind}Cpu`].push(result.cpuMs);
    }
  }
  showProgress(`comparison: round ${round}/${rounds} done`);
}
showProgress('');

const stats = new Map(
  [...samples].map(([name, s]) => [
    name,
    { corpus: median(s.corpus), one: median(s.one), corpusCpu: median(s.corpusCpu), oneCpu: median(s.oneCpu), corpusRss: Math.max(...s.corpusRss, 0), corpusPss: Math.max(...s.corpusPss, 0), oneRss: Math.max(...s.oneRss, 0) },
  ]),
);
const ours = stats.get(tools[0].name);
const floor = stats.get('node -e 0');
const twoNode = broken.has('Node forking Node') ? undefined : { ms: stats.get('Node forking Node').one, rss: stats.get('Node forking Node').oneRss };

console.log(`\nCorpus: 20 docs × 10 small TypeScript blocks (200 blocks). Median wall (and CPU: user + sys of the process tree) of ${rounds}`);
console.log(`rounds; peak RSS = max over rounds of the summed VmHWM of the tool's live process tree, polled from /proc every 10 ms.\n`);
console.log(
  table([
    ['tool', 'corpus', 'CPU', 'peak RSS', 'runbook is', 'one-block doc', 'CPU', 'peak RSS', 'runbook is'],
    ...tools.map((tool) => {
      const s = stats.get(tool.name);
      if (broken.has(tool.name)) return [tool.name, 'failed', '', '', '', '', '', '', ''];
      const mine = tool.ours || !tool.name.startsWith('runbook');
      return [
        tool.name,
        tool.corpus ? formatMs(s.corpus) : '',
        tool.corpus ? formatMs(s.corpusCpu) : '',
        tool.corpus ? formatMiB(s.corpusRss) : '',
        tool.corpus && !tool.ours && mine ? formatRatio(ours.corpus, s.corpus) : '',
        formatMs(s.one),
        formatMs(s.oneCpu),
        formatMiB(s.oneRss),
        tool.ours ? '' : tool.floor ? `${(ours.one / s.one).toFixed(2)}× the floor` : mine ? formatRatio(ours.one, s.one) : '',
      ];
    }),
  ]),
);
console.log('\nHow each tool was run (each Node tool started as its installed command is: its bin file, through its shebang):');
for (const tool of tools) console.log(`  ${tool.name}: ${tool.form}`);
for (const line of skipped) console.log(`  left out — ${line}`);
for (const [name, reason] of broken) console.log(`  FAILED — ${name}: ${reason}`);

const curves = options.curveSizes
  ? await runCurves({ sizes: options.curveSizes, cachesOff: options.curveCachesOff, cli, dir: join(corpusDir, 'curves'), env: cacheEnv, rounds: options.curveRounds, measure })
  : undefined;

// A peer's figures, or why there are none.
const peerFigures = (prefix) => {
  const tool = tools.find((t) => t.name.startsWith(`${prefix} `));
  if (tool && broken.has(tool.name)) return { reason: `its run failed (${broken.get(tool.name)})` };
  if (tool) return { corpusMs: stats.get(tool.name).corpus, oneMs: stats.get(tool.name).one };
  if (!options.peers) return { reason: 'peers left out (--no-peers)' };
  return { reason: skipped.find((line) => line.startsWith(`${prefix}:`)) ?? 'not installed' };
};

console.log(`\nTargets of issue 19, from this run's figures:`);
const targets = issue19Targets({ ours: { corpusMs: ours.corpus, oneMs: ours.one, corpusRss: ours.corpusRss }, nodeMs: floor.one, twoNode, zx: peerFigures('zx'), curves, cores });
for (const target of targets) console.log(formatTarget(target));
console.log('\nEarlier peer targets:');
const deno = peerFigures('deno');
for (const target of earlierPeerTargets({ ours: { corpusMs: ours.corpus, oneMs: ours.one }, doctest: peerFigures('markdown-doctest'), deno })) console.log(formatTarget(target));
if (deno.reason === undefined) console.log(`  (info) one-block doc against deno's native binary: ${formatMs(ours.one)} vs ${formatMs(deno.oneMs)} (${formatRatio(ours.one, deno.oneMs)})`);
// Summed RSS counts Node's binary once per process: the PSS sum counts each shared page once.
if (ours.corpusPss > 0) console.log(`  (info) corpus memory as PSS (pages shared between the processes, such as Node's own binary, counted once): ${formatMiB(ours.corpusPss)} at the largest sample, against ${formatMiB(ours.corpusRss)} of summed peak RSS`);
// Peak RSS also counts garbage V8 has not collected yet, and heap it keeps for later: what stays is the heap after a full collection.
for (const [unit, curve] of [['block', curves?.blocks], ['doc', curves?.docs]]) {
  if (curve?.retained) console.log(`  (info) kept per ${unit}, by the JS heap after a full collection: supervisor ${formatKiB(curve.retained.supervisorPerUnit)}, largest executor ${formatKiB(curve.retained.executorPerUnit)} (${curve.retained.small} against ${curve.retained.large} ${unit}s)`);
}
// Node 20 parses that file, and its own root certificates, as every process starts (~70 ms here).
if (process.env.NODE_EXTRA_CA_CERTS) {
  console.log("  (info) NODE_EXTRA_CA_CERTS is set: every Node start parses it with Node's own root certificates; runbook's supervisor, started through its shebang, starts without it and gives it back to its executors");
}
console.log(`\nload average at the end: ${loadavg().map((n) => n.toFixed(2)).join(' ')} (other work on the machine inflates every tool's figures alike)`);
