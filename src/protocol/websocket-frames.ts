import type { RawData, WebSocket } from 'ws';
import { runbookError } from '../errors.js';

// ws readyState numbers, named for error messages.
const READY_STATES = ['CONNECTING', 'OPEN', 'CLOSING', 'CLOSED'] as const;

export function describeReadyState(socket: WebSocket): string {
  return `readyState ${socket.readyState} (${READY_STATES[socket.readyState] ?? 'UNKNOWN'})`;
}

function toBuffer(data: RawData): Buffer {
  if (Buffer.isBuffer(data)) return data;
  if (Array.isArray(data)) return Buffer.concat(data);
  return Buffer.from(data);
}

/**
 * A received frame as a doc sees it. Text frames become strings; in json mode
 * a text frame holding JSON becomes the parsed value, and anything else stays
 * the string it was (a peer sending plain text must not crash the handler).
 * Binary frames stay Buffers.
 */
export function decodeFrame(data: RawData, isBinary: boolean, json: boolean): unknown {
  if (isBinary) return toBuffer(data);
  const text = toBuffer(data).toString('utf8');
  if (!json) return text;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** What goes on the wire: bytes as binary frames, everything else as JSON text (strings too, in json mode). */
export function encodeFrame(message: unknown, json: boolean): string | ArrayBufferView {
  // isView, not instanceof: a doc's typed arrays may come from another realm.
  if (ArrayBuffer.isView(message)) return message;
  if (typeof message === 'string' && !json) return message;
  const text = JSON.stringify(message);
  if (text === undefined) {
    throw runbookError('RUNBOOK_INVALID_ARGUMENT', `Cannot send ${typeof message} over a websocket: send a JSON-serialisable value, a string or a Buffer.`);
  }
  return text;
}

function notOpen(socket: WebSocket, who: string): Error {
  return runbookError('RUNBOOK_NOT_CONNECTED', `${who} cannot send: the websocket is not open, ${describeReadyState(socket)}.`);
}

/**
 * Writes one frame without waiting for it (the ask/reply path: a failed write
 * closes the socket, and closing rejects the pending asks). Throws if not open.
 */
export function writeFrame(socket: WebSocket, frame: string | ArrayBufferView, who: string): void {
  if (socket.readyState !== 1) throw notOpen(socket, who);
  socket.send(frame);
}

/** Writes one frame; resolves once ws has handed it to the socket. */
export function sendFrame(socket: WebSocket, frame: string | ArrayBufferView, who: string): Promise<void> {
  if (socket.readyState !== 1) return Promise.reject(notOpen(socket, who));
  return new Promise((resolve, reject) => {
    socket.send(frame, (error) => (error ? reject(runbookError('RUNBOOK_SEND_FAILED', `${who} could not send: ${error.message}`, { cause: error })) : resolve()));
  });
}
