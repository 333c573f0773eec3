// A stand-in for the desktop app that windowManager talks to. It connects to
// the app socket (and reconnects when the broker changes), says hello, answers
// every windowRequest with a windowAck, and "closes" a window after
// window.closeAfterMs, reporting terminalExited first when window.command is set.
//
// usage: node stand-in-app.mjs <socket path> <client id>
import { connect } from 'node:net';

const [socketPath, clientId = 'stand-in'] = process.argv.slice(2);
if (!socketPath) {
  console.error('usage: node stand-in-app.mjs <socket path> [client id]');
  process.exit(2);
}

const answered = new Map(); // requestId -> ack, so a request retried after a failover opens one window
const outbox = []; // events to send once a broker is there again
let socket;
let windows = 0;

function send(message) {
  if (!socket?.writable) return void outbox.push(message);
  socket.write(`${JSON.stringify(message)}\n`, (error) => error && outbox.push(message));
}

function openWindow({ requestId, window = {} }) {
  let ack = answered.get(requestId);
  if (!ack) {
    const windowId = `${clientId}-${++windows}`;
    ack = { type: 'windowAck', requestId, windowId, clientId };
    answered.set(requestId, ack);
    console.log(`opened ${windowId}: ${window.title ?? '(untitled)'}`);
    if (typeof window.closeAfterMs === 'number') {
      setTimeout(() => {
        if (window.command) send({ type: 'terminalExited', windowId, exitCode: window.exitCode ?? 0 });
        send({ type: 'windowClosed', windowId });
      }, window.closeAfterMs);
    }
  }
  send(ack);
}

function dial() {
  const attempt = connect(socketPath);
  attempt.once('error', () => setTimeout(dial, 50));
  attempt.once('connect', () => {
    socket = attempt;
    socket.removeAllListeners('error');
    socket.on('error', () => {}); // 'close' follows and reconnects
    // recentAcks: a broker that took over from a dead one learns what was already answered.
    const recentAcks = [...answered.values()].slice(-100);
    socket.write(`${JSON.stringify({ type: 'hello', clientId, labels: { kind: 'stand-in' }, recentAcks })}\n`);
    for (const message of outbox.splice(0)) send(message);
    let buffered = '';
    socket.on('data', (chunk) => {
      const lines = (buffered + chunk).split('\n');
      buffered = lines.pop();
      for (const line of lines) {
        if (!line.trim()) continue;
        const message = JSON.parse(line);
        if (message.type === 'windowRequest') openWindow(message);
      }
    });
    socket.on('close', () => {
      socket = undefined;
      setTimeout(dial, 50);
    });
  });
}

dial();

// Never outlive whoever started us, even if they die without stopping us.
const parent = process.ppid;
setInterval(() => {
  if (process.ppid !== parent) process.exit(0);
}, 500);
