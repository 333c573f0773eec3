// Soak for windowManager failover: producers send window requests through an
// elected broker to a stand-in app (which connects late and reconnects every
// 100 ms) while the broker is SIGKILLed several times. Prints requests sent,
// answered, duplicated, lost and the worst latency; exits 1 if any was
// duplicated or lost. Sockets live in a private temp folder.
//   node bench/window-manager-soak.mjs [producers=8] [requests=50] [kills=3]
//
// Kills hit broker-only processes, so every producer lives to the end: the
// producers are paused (SIGSTOP) across each kill so that a standby wins the
// election, and resumed at once; they then find the broker gone and re-send.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const [producerCount, perProducer, kills] = [8, 50, 3].map((fallback, i) => Number(process.argv[2 + i] ?? fallback));
const GAP_MS = 40;
const TIMEOUT_MS = 15_000;
const HARD_LIMIT_MS = 90_000;
const fixtures = fileURLToPath(new URL('../test/fixtures/ipc/', import.meta.url));
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

const work = mkdtempSync(join(tmpdir(), 'rb-soak-'));
const socketDir = join(work, 'ipc');
await build({
  entryPoints: [join(fixtures, 'wm-process.ts')],
  outfile: join(work, 'wm-process.mjs'),
  bundle: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  logLevel: 'error',
});

const children = [];
function start(script, args, onLine) {
  const child = spawn(process.execPath, [script, ...args], { stdio: 'pipe' });
  child.lines = [];
  child.stderr.resume();
  child.stdin.on('error', () => {}); // a killed broker's stdin
  createInterface({ input: child.stdout }).on('line', (text) => {
    const line = JSON.parse(text);
    child.lines.push(line);
    onLine?.(line);
  });
  children.push(child);
  return child;
}

process.on('uncaughtException', (error) => {
  console.error(error.message);
  void finish(2);
});

const waitFor = async (what, check, ms = 10_000) => {
  for (const deadline = Date.now() + ms; !check(); await sleep(10)) if (Date.now() > deadline) throw new Error(`soak: no ${what} within ${ms} ms`);
};
const alive = (child) => child.exitCode === null && child.signalCode === null;
const isBroker = (child) => alive(child) && child.lines.filter((line) => line.event === 'role' || line.event === 'ready').at(-1)?.role === 'broker';

const hardStop = setTimeout(() => {
  console.error(`soak: gave up after ${HARD_LIMIT_MS} ms`);
  finish(2);
}, HARD_LIMIT_MS);

async function finish(code) {
  clearTimeout(hardStop);
  for (const child of children) if (alive(child)) child.kill('SIGKILL');
  await sleep(50);
  rmSync(work, { recursive: true, force: true });
  process.exit(code);
}

// Broker-only processes: the first is the broker, the others stand by to take over.
const standbys = [];
for (let i = 0; i <= kills; i++) {
  const standby = start(join(work, 'wm-process.mjs'), [socketDir]);
  standbys.push(standby);
  await waitFor('ready standby', () => standby.lines.some((line) => line.event === 'ready'));
}

const sentAt = new Map();
const answers = new Map(); // id -> answer lines
let worst = 0;
const producers = [];
for (let p = 0; p < producerCount; p++) {
  const producer = start(join(work, 'wm-process.mjs'), [socketDir], (line) => {
    if (line.event !== 'ack' && line.event !== 'rejected') return;
    answers.set(line.id, [...(answers.get(line.id) ?? []), line]);
    worst = Math.max(worst, Date.now() - sentAt.get(line.id));
  });
  producers.push(producer);
}
await waitFor('ready producers', () => producers.every((producer) => producer.lines.some((line) => line.event === 'ready')));
const app = start(join(fixtures, 'app.mjs'), [join(socketDir, 'ipc-window.sock'), 'soak', '100', '300']);

const began = Date.now();
const sending = producers.map(async (producer, p) => {
  for (let i = 0; i < perProducer; i++) {
    const id = `p${p}-${i}`;
    sentAt.set(id, Date.now());
    producer.stdin.write(`${JSON.stringify({ cmd: 'spawn', id, window: { tag: id, closeAfterMs: 200 }, options: { timeout: TIMEOUT_MS } })}\n`);
    await sleep(GAP_MS);
  }
});

const sendingMs = perProducer * GAP_MS;
for (let k = 1; k <= kills; k++) {
  await sleep(began + (sendingMs * k) / (kills + 1) - Date.now());
  const broker = standbys.find(isBroker);
  if (!broker) {
    const roles = (children) => children.map((child) => child.lines.filter((line) => line.event === 'role').map((line) => line.role).join('>'));
    throw new Error(`soak: before kill ${k}, no standby is the broker. Standbys: ${roles(standbys)}; producers: ${roles(producers)}`);
  }
  for (const producer of producers) producer.kill('SIGSTOP');
  broker.kill('SIGKILL');
  await waitFor('new broker among the standbys', () => standbys.some((standby) => standby !== broker && isBroker(standby)), 5000);
  for (const producer of producers) producer.kill('SIGCONT');
}
await Promise.all(sending);
const total = producerCount * perProducer;
await waitFor('answers', () => answers.size === total, TIMEOUT_MS + 2000).catch(() => {});

const answered = [...answers.values()].filter((lines) => lines[0].event === 'ack').length;
const rejected = [...answers.values()].filter((lines) => lines[0].event === 'rejected');
const extraAnswers = [...answers.values()].reduce((sum, lines) => sum + lines.length - 1, 0);
const appSawTwice = app.lines.filter((line) => line.event === 'duplicate').length;
const opened = app.lines.filter((line) => line.event === 'opened').map((line) => line.requestId);
const openedTwice = opened.length - new Set(opened).size;
const duplicated = extraAnswers + appSawTwice + openedTwice;
const lost = total - answered;
const malformed = app.lines.filter((line) => line.event === 'malformed').length;

console.log(`producers ${producerCount} × requests ${perProducer}, broker kills ${kills}, app reconnects every 100 ms`);
console.log(`sent ${total}, answered ${answered}, duplicated ${duplicated}, lost ${lost}, worst latency ${worst} ms`);
console.log(`app: opened ${opened.length}, saw a request twice ${appSawTwice}, malformed frames ${malformed}, reconnects ${app.lines.filter((line) => line.event === 'connected').length}`);
for (const lines of rejected.slice(0, 3)) console.log(`rejected ${lines[0].id}: ${lines[0].code}: ${lines[0].message}`);
await finish(duplicated === 0 && lost === 0 && malformed === 0 ? 0 : 1);
