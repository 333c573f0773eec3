// `npm run bench`: runbook against the doc runners people might use instead,
// on the same corpus, in alternating rounds of one run; then how runbook's cost
// grows with blocks per doc and with docs per run.
//
//   node bench/run.mjs [--rounds 7] [--curve-rounds 3] [--no-peers] [--no-curves] [--cli path/to/runbook.js]
//
// Writes its corpus to bench/.corpus/compare/ and installs the peers into
// bench/.peers/ (both ignored by git). Needs a built dist/ (`npm run build`).
import { existsSync, readFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { writeCorpus } from './compare/corpus.mjs';
import { runCurves } from './compare/curves.mjs';
import { installPeers } from './compare/install.mjs';
import { measure, measureEach } from './compare/measure.mjs';
import { formatMiB, formatMs, formatRatio, median, table } from './compare/report.mjs';

const { values } = parseArgs({
  options: {
    rounds: { type: 'string', default: '7' },
    'curve-rounds': { type: 'string', default: '3' },
    peers: { type: 'boolean', default: true },
    curves: { type: 'boolean', default: true },
    cli: { type: 'string' },
  },
  allowNegative: true,
});
const rounds = Number(values.rounds);
const root = fileURLToPath(new URL('..', import.meta.url));
const cli = values.cli ? resolve(values.cli) : join(root, 'bin', 'runbook.js');
const corpusDir = join(root, 'bench', '.corpus', 'compare');
const peersDir = join(root, 'bench', '.peers');
if (!values.cli && !existsSync(join(root, 'dist', 'runbook.cjs'))) {
  console.error('dist/ is missing: run `npm run build` first.');
  process.exit(1);
}
const node = process.execPath;
const version = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).version;
// A cache folder of the bench's own: the first (discarded) round fills it.
const cacheEnv = { RUNBOOK_CACHE_DIR: join(corpusDir, 'transpile-cache') };

console.log(`runbook ${version} benchmark — node ${process.version}, ${availableParallelism()} cores, load average ${loadavg()[0].toFixed(2)}`);
const files = writeCorpus(corpusDir);
const peers = values.peers ? installPeers(peersDir) : {};

// Each tool: how it runs the corpus and the one-block doc, in the form it understands.
const tools = [
  {
    name: `runbook ${version}`,
    form: '20 docs in one call (--no-stamp), ```ts blocks sharing state; code, doc and transpile caches warm',
    corpus: [{ command: node, args: [cli, 'run', ...files.runbook, '--no-stamp'], options: { env: cacheEnv } }],
    one: [{ command: node, args: [cli, 'run', ...files['runbook-one'], '--no-stamp'], options: { env: cacheEnv } }],
    ours: true,
  },
  {
    name: 'runbook --jobs 1',
    form: 'same, one executor process for every doc (the default starts one per core)',
    corpus: [{ command: node, args: [cli, 'run', ...files.runbook, '--no-stamp', '--jobs', '1'], options: { env: cacheEnv } }],
  },
  {
    name: 'runbook, caches off',
    form: 'same, RUNBOOK_CACHE=off: no code, doc or transpile cache; every block goes through esbuild (batched per doc)',
    corpus: [{ command: node, args: [cli, 'run', ...files.runbook, '--no-stamp'], options: { env: { RUNBOOK_CACHE: 'off' } } }],
    one: [{ command: node, args: [cli, 'run', ...files['runbook-one'], '--no-stamp'], options: { env: { RUNBOOK_CACHE: 'off' } } }],
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
      corpus: files.zx.map((file) => ({ command: node, args: [peer.path, file] })),
      one: [{ command: node, args: [peer.path, ...files['zx-one']] }],
    });
  } else if (name === 'markdown-doctest') {
    tools.push({
      name: label,
      form: "one call on a glob, ```js blocks under <!-- share-code-between-examples --> (babel on, its default)",
      corpus: [{ command: node, args: [peer.path, '*.md'], options: { cwd: join(corpusDir, 'doctest') } }],
      one: [{ command: node, args: [peer.path, '*.md'], options: { cwd: join(corpusDir, 'doctest-one') } }],
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

// Round 0 warms every cache (ours, deno's type-check cache, the OS's) and checks that every tool passes.
const samples = new Map(tools.map((tool) => [tool.name, { corpus: [], one: [], corpusRss: [], oneRss: [], corpusCpu: [], oneCpu: [] }]));
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
      samples.get(tool.name)[`${kind}Cpu`].push(result.cpuMs);
    }
  }
  if (round > 0) process.stdout.write(`round ${round}/${rounds} done\r`);
}
process.stdout.write('\n');

const stats = new Map(
  [...samples].map(([name, s]) => [
    name,
    { corpus: median(s.corpus), one: median(s.one), corpusCpu: median(s.corpusCpu), oneCpu: median(s.oneCpu), corpusRss: Math.max(...s.corpusRss, 0), oneRss: Math.max(...s.oneRss, 0) },
  ]),
);
const ours = stats.get(tools[0].name);
const floor = stats.get('node -e 0');

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
console.log('\nHow each tool was run:');
for (const tool of tools) console.log(`  ${tool.name}: ${tool.form}`);
for (const line of skipped) console.log(`  left out — ${line}`);
for (const [name, reason] of broken) console.log(`  FAILED — ${name}: ${reason}`);

// The targets from the issue, checked against this run.
const check = (label, ok, detail) => console.log(`  ${ok ? 'met   ' : 'MISSED'} ${label}: ${detail}`);
const peerStat = (prefix) => {
  const tool = tools.find((t) => t.name.startsWith(prefix) && !broken.has(t.name));
  return tool ? stats.get(tool.name) : undefined;
};
console.log('\nTargets:');
for (const [prefix, factor] of [['zx', 12], ['markdown-doctest', 2], ['deno', 20]]) {
  const peer = peerStat(prefix);
  if (!peer) check(`corpus ≥ ${factor}× faster than ${prefix}`, false, 'peer not measured');
  else check(`corpus ≥ ${factor}× faster than ${prefix}`, peer.corpus / ours.corpus >= factor, `${(peer.corpus / ours.corpus).toFixed(1)}×`);
}
check('one-block doc within 2× of node -e 0', ours.one <= 2 * floor.one, `${formatMs(ours.one)} vs ${formatMs(floor.one)} (${(ours.one / floor.one).toFixed(2)}×)`);
for (const prefix of ['zx', 'markdown-doctest']) {
  const peer = peerStat(prefix);
  check(`one-block doc faster than ${prefix}`, Boolean(peer) && ours.one < peer.one, peer ? `${formatMs(ours.one)} vs ${formatMs(peer.one)}` : 'peer not measured');
}
const deno = peerStat('deno');
if (deno) console.log(`  (info) one-block doc against deno's native binary: ${formatMs(ours.one)} vs ${formatMs(deno.one)} (${formatRatio(ours.one, deno.one)})`);
check('corpus peak RSS ≤ 100 MiB', ours.corpusRss <= 100 * 1024 * 1024, formatMiB(ours.corpusRss));
// Each Node process reads that file as it starts (~60 ms here); runbook starts two, a supervisor and an executor.
if (process.env.NODE_EXTRA_CA_CERTS) console.log('  (info) NODE_EXTRA_CA_CERTS is set: every Node start reads it, and runbook starts two processes (supervisor and executor)');
console.log(`\nload average at the end: ${loadavg().map((n) => n.toFixed(2)).join(' ')} (other work on the machine inflates every tool's figures alike)`);

if (values.curves) await runCurves({ node, cli, dir: join(corpusDir, 'curves'), env: cacheEnv, rounds: Number(values['curve-rounds']), measure });
