// Ask/reply throughput on loopback next to raw `ws` baselines measured in the same run.
// Run after `npm run build`: node bench/websocket.mjs [--rounds 15] [--sequential 2000] [--batches 40]
// (BENCH_VERBOSE=1 prints every round).
import { parseArgs } from 'node:util';
import { WebSocket, WebSocketServer } from 'ws';
import { createContainer } from '../dist/index.js';

const { values } = parseArgs({
  options: {
    rounds: { type: 'string', default: '15' },
    sequential: { type: 'string', default: '2000' },
    batches: { type: 'string', default: '40' },
  },
});
const ROUNDS = Number(values.rounds);
const SEQUENTIAL = Number(values.sequential);
const BATCHES = Number(values.batches);
const CONCURRENCY = 100;
const payload = { a: 3, b: 4, note: 'loopback benchmark payload' };

// Baselines on plain ws. 'bytes': the server echoes each frame as it came and the
// client only counts echoes (the spec'd baseline). 'json': both sides also parse and
// re-serialise, as any JSON app on raw ws must; the gap to it is the protocol's own cost.
async function rawPair(mode) {
  const wss = new WebSocketServer({ port: 0, host: '127.0.0.1' });
  await new Promise((resolve) => wss.once('listening', resolve));
  wss.on('connection', (socket) =>
    socket.on('message', (data, isBinary) => {
      if (mode === 'bytes') return socket.send(data, { binary: isBinary });
      const request = JSON.parse(data.toString());
      socket.send(JSON.stringify({ replyTo: request.requestId, data: request.data }));
    }),
  );
  const socket = new WebSocket(`ws://127.0.0.1:${wss.address().port}`);
  await new Promise((resolve) => socket.once('open', resolve));
  let waiting = 0;
  let done = () => {};
  socket.on('message', (data) => {
    if (mode === 'json') JSON.parse(data.toString());
    if (--waiting === 0) done();
  });
  // Resolves when `count` echoes have come back for frames sent now.
  const roundTrip = (count) =>
    new Promise((resolve) => {
      waiting = count;
      done = resolve;
      for (let i = 0; i < count; i++) socket.send(JSON.stringify({ type: 'echo', data: payload, requestId: `r-${i}` }));
    });
  const close = async () => {
    socket.terminate();
    await new Promise((resolve) => wss.close(resolve));
  };
  return { roundTrip, close };
}

async function runbookPair() {
  const container = createContainer();
  const server = container.server('websocket', { json: true });
  await server.start({ port: 0 });
  server.on('message', (message) => message.reply?.(message.data));
  const client = container.client('websocket', { baseURL: `ws://127.0.0.1:${server.port}` });
  await client.connect();
  const roundTrip = (count) => (count === 1 ? client.ask('echo', payload) : Promise.all(Array.from({ length: count }, () => client.ask('echo', payload))));
  return { roundTrip, close: () => container.dispose() };
}

// Wall-clock ops/s and CPU time per op: on a busy machine CPU time is the steadier of the two.
async function measure(pair, perOp, ops) {
  const cpu = process.cpuUsage();
  const started = process.hrtime.bigint();
  for (let done = 0; done < ops; done += perOp) await pair.roundTrip(perOp);
  const { user, system } = process.cpuUsage(cpu);
  return { opsPerSec: ops / (Number(process.hrtime.bigint() - started) / 1e9), cpuMicrosPerOp: (user + system) / ops };
}

const median = (list) => [...list].sort((x, y) => x - y)[Math.floor(list.length / 2)];

const names = ['bytes', 'json', 'ours'];
const pairs = { bytes: await rawPair('bytes'), json: await rawPair('json'), ours: await runbookPair() };
const modes = { sequential: { perOp: 1, ops: SEQUENTIAL }, concurrent: { perOp: CONCURRENCY, ops: BATCHES * CONCURRENCY } };
const rounds = { sequential: [], concurrent: [] };
// Warm up every path for the JIT; then each round measures all three back to back,
// so the overhead is a ratio within one round (load from elsewhere hits all alike).
for (const pair of Object.values(pairs)) {
  await measure(pair, 1, 1000);
  await measure(pair, CONCURRENCY, 20 * CONCURRENCY);
}
for (let round = 0; round < ROUNDS; round++) {
  for (const [mode, { perOp, ops }] of Object.entries(modes)) {
    const result = {};
    for (const name of names) result[name] = await measure(pairs[name], perOp, ops);
    rounds[mode].push(result);
  }
}
for (const pair of Object.values(pairs)) await pair.close();
if (process.env.BENCH_VERBOSE) console.log(JSON.stringify(rounds, (_key, value) => (typeof value === 'number' ? Math.round(value * 10) / 10 : value)));

const format = (n) => Math.round(n).toLocaleString('en-US');
const percent = (ratio) => `${(ratio * 100).toFixed(1)}%`;
console.log(`websocket ask/reply vs raw ws — loopback, node ${process.version}, ${ROUNDS} rounds, medians`);
console.log('raw echo: server echoes bytes, client counts; raw+JSON: both sides also parse and re-serialise.');
console.log(
  ['mode'.padEnd(15), 'raw echo/s'.padStart(11), 'raw+JSON/s'.padStart(11), 'ask/reply/s'.padStart(12), 'vs echo'.padStart(9), 'vs JSON'.padStart(9), 'cpu vs echo'.padStart(12), 'cpu vs JSON'.padStart(12)].join(''),
);
let worst = 0;
for (const [mode, label] of [['sequential', 'sequential'], ['concurrent', `${CONCURRENCY} concurrent`]]) {
  const list = rounds[mode];
  const ops = Object.fromEntries(names.map((name) => [name, median(list.map((r) => r[name].opsPerSec))]));
  // Overheads are medians of per-round ratios: slower ask/reply = higher percentage.
  const wall = (base) => median(list.map((r) => r[base].opsPerSec / r.ours.opsPerSec - 1));
  const cpu = (base) => median(list.map((r) => r.ours.cpuMicrosPerOp / r[base].cpuMicrosPerOp - 1));
  worst = Math.max(worst, wall('bytes'));
  console.log(
    [
      label.padEnd(15),
      format(ops.bytes).padStart(11),
      format(ops.json).padStart(11),
      format(ops.ours).padStart(12),
      percent(wall('bytes')).padStart(9),
      percent(wall('json')).padStart(9),
      percent(cpu('bytes')).padStart(12),
      percent(cpu('json')).padStart(12),
    ].join(''),
  );
}
console.log(`target: ask/reply ≤ 30% over the raw ws echo (wall clock) — ${worst <= 0.3 ? 'met' : 'NOT met'} (worst ${percent(worst)})`);
