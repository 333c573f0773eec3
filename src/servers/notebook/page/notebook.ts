/// <reference lib="dom" />
import type { ClientMessage, ServerMessage } from '../notebook-protocol.js';
import { appendOutput, el, errorElement, renderSegments, renderView, valueElement } from './render.js';

// The notebook page: one websocket to the `runbook open` process; every
// button sends a request, every message redraws the part it is about.

const token = document.querySelector<HTMLMetaElement>('meta[name="runbook-token"]')?.content ?? '';
const docArea = document.querySelector<HTMLElement>('[data-doc]')!;
const notice = document.querySelector<HTMLElement>('[data-notice]')!;
const busy = document.querySelector<HTMLElement>('[data-busy]')!;
const consoleLog = document.querySelector<HTMLElement>('[data-console-log]')!;
const consoleInput = document.querySelector<HTMLInputElement>('[data-console-input]')!;
let socket: WebSocket | undefined;
let nextInput = 1;
const history: string[] = [];
let historyAt = 0;

function send(message: ClientMessage): void {
  if (socket?.readyState === WebSocket.OPEN) socket.send(JSON.stringify(message));
  else showNotice('error', 'Not connected to runbook: is `runbook open` still running?');
}

function showNotice(level: 'info' | 'error', text: string): void {
  notice.hidden = false;
  notice.className = `notice ${level}`;
  notice.textContent = text;
}

function blockElement(index: number): HTMLElement | null {
  return docArea.querySelector<HTMLElement>(`[data-block="${index}"]`);
}

function receive(message: ServerMessage): void {
  switch (message.type) {
    case 'doc': {
      document.title = `${message.title} · runbook`;
      document.querySelector('[data-title]')!.textContent = `${message.title} — ${message.path}`;
      docArea.replaceChildren(...renderSegments(message.segments));
      for (const view of message.blocks) {
        const block = blockElement(view.index);
        if (block) renderView(block, view);
      }
      if (message.problem) showNotice('error', message.problem);
      return;
    }
    case 'block': {
      const block = blockElement(message.block.index);
      if (block) renderView(block, message.block);
      return;
    }
    case 'output': {
      const block = blockElement(message.index);
      if (block) appendOutput(block, message.stream, message.text);
      return;
    }
    case 'busy':
      busy.textContent = message.busy ? `${message.what ?? 'working'}…` : '';
      document.body.dataset.busy = String(message.busy);
      return;
    case 'doc-result': {
      const stamp = message.stamped ? ' · stamped' : '';
      const extra = [message.error?.message, ...message.warnings].filter(Boolean).join(' · ');
      showNotice(message.status === 'failed' ? 'error' : 'info', `Run all: ${message.status}${stamp}${extra ? ` · ${extra}` : ''}`);
      return;
    }
    case 'console': {
      const entry = el('div', { class: 'console-entry', 'data-console-entry': String(message.id) }, el('pre', { class: 'input' }, `› ${message.input}`));
      if (message.output) entry.append(el('pre', { class: 'stdout' }, message.output));
      if (message.value !== undefined) entry.append(valueElement(message.value));
      if (message.error) entry.append(errorElement(message.error));
      consoleLog.append(entry);
      consoleLog.scrollTop = consoleLog.scrollHeight;
      return;
    }
    case 'notice':
      return showNotice(message.level, message.text);
  }
}

document.addEventListener('click', (event) => {
  const target = (event.target as Element).closest<HTMLElement>('[data-action]');
  if (!target) return;
  const action = target.dataset.action;
  const index = Number(target.dataset.index);
  notice.hidden = true;
  if (action === 'run' || action === 'run-from') send({ type: action, index });
  else if (action === 'run-all' || action === 'restart') send({ type: action });
});

consoleInput.addEventListener('keydown', (event) => {
  if (event.key === 'ArrowUp' || event.key === 'ArrowDown') {
    historyAt = Math.max(0, Math.min(history.length, historyAt + (event.key === 'ArrowUp' ? -1 : 1)));
    consoleInput.value = history[historyAt] ?? '';
    event.preventDefault();
    return;
  }
  if (event.key !== 'Enter' || !consoleInput.value.trim()) return;
  const code = consoleInput.value;
  history.push(code);
  historyAt = history.length;
  consoleInput.value = '';
  send({ type: 'eval', id: nextInput++, code });
});

function connect(): void {
  const ws = new WebSocket(`ws://${location.host}/ws?token=${encodeURIComponent(token)}`);
  ws.addEventListener('open', () => {
    document.body.dataset.connected = 'true';
  });
  ws.addEventListener('message', (event) => receive(JSON.parse(String(event.data)) as ServerMessage));
  ws.addEventListener('close', () => {
    document.body.dataset.connected = 'false';
    showNotice('error', 'Disconnected from runbook (the `runbook open` process ended). Start it again to go on.');
  });
  socket = ws;
}

connect();
