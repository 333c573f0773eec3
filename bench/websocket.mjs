// Ask/reply throughput on loopback next to raw `ws` baselines measured in the same run.
// Run after `npm run build`: node bench/websocket.mjs [--rounds 5] [--sequential 5000] [--batches 100]
import { parseArgs } from 'node:util';
import { WebSocket, WebSocketServer } from 'ws';
import { createContainer } from '../dist/index.js';

const { values } = parseArgs({
  options: {
    rounds: { type: 'string', default: '5' },
    sequential: { type: 'string', default: '5000' },
    batches: { type: 'string', default: '100' },
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

async function measure(pair, perOp, ops) {
  const started = process.hrtime.bigint();
  for (let done = 0; done < ops; done += perOp) await pair.roundTrip(perOp);
  return ops / (Number(process.hrtime.bigint() - started) / 1e9);
}

const median = (list) => [...list].sort((x, y) => x - y)[Math.floor(list.length / 2)];

const pairs = { bytes: await rawPair('bytes'), json: await rawPair('json'), ours: await runbookPair() };
const results = Object.fromEntries(Object.keys(pairs).map((name) => [name, { sequential: [], concurrent: [] }]));
// Warm up every path for the JIT, then interleave so load from elsewhere hits all alike.
for (const pair of Object.values(pairs)) {
  await measure(pair, 1, 1000);
  await measure(pair, CONCURRENCY, 20 * CONCURRENCY);
}
for (let round = 0; round < ROUNDS; round++) {
  for (const [name, pair] of Object.entries(pairs)) {
    results[name].sequential.push(await measure(pair, 1, SEQUENTIAL));
    results[name].concurrent.push(await measure(pair, CONCURRENCY, BATCHES * CONCURRENCY));
  }
}
for (const pair of Object.values(pairs)) await pair.close();

const format = (n) => Math.round(n).toLocaleString('en-US');
const percent = (ratio) => `${(ratio * 100).toFixed(1)}%`;
console.log(`websocket ask/reply vs raw ws — loopback, node ${process.version}, median of ${ROUNDS} rounds (ops/s)`);
console.log(['mode'.padEnd(16), 'raw echo'.padStart(10), 'raw+JSON'.padStart(10), 'ask/reply'.padStart(10), 'vs echo'.padStart(9), 'vs JSON'.padStart(9)].join(''));
let worst = 0;
for (const [mode, label] of [['sequential', 'sequential'], ['concurrent', `${CONCURRENCY} concurrent`]]) {
  const [bytes, json, ours] = ['bytes', 'json', 'ours'].map((name) => median(results[name][mode]));
  worst = Math.max(worst, bytes / ours - 1);
  console.log(
    [label.padEnd(16), format(bytes).padStart(10), format(json).padStart(10), format(ours).padStart(10), percent(bytes / ours - 1).padStart(9), percent(json / ours - 1).padStart(9)].join(''),
  );
}
console.log(`target: ask/reply ≤ 30% over the raw ws echo — ${worst <= 0.3 ? 'met' : 'NOT met'} (worst ${percent(worst)})`);
