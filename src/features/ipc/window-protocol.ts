/**
 * The messages of the window protocol.
 *
 * App socket (broker ↔ app), one JSON object per line:
 * - broker → app: `{ type: 'windowRequest', requestId, window }`
 * - app → broker: `{ type: 'hello', clientId, labels, recentAcks? }` (optional, first;
 *   `recentAcks`, the app's last acks, lets a new broker answer a re-sent request
 *   without asking the app again),
 *   `{ type: 'windowAck', requestId, windowId, … }` or
 *   `{ type: 'windowError', requestId, error }`, and later
 *   `{ type: 'windowClosed', windowId }` / `{ type: 'terminalExited', windowId, exitCode }`.
 *   The broker sends a requestId to an app once; only if that app disconnects
 *   before answering (or after a failover the app did not replay in
 *   `recentAcks`) can it arrive again: an app should answer it with the ack it
 *   already sent rather than open a second window.
 *
 * Control socket (producer ↔ broker), ask/reply requests:
 * - `hello` { pid } → { pid } (a producer's proof that the broker is alive)
 * - `windowRequest` { requestId, window, targetClientId?, timeoutMs } → RouteOutcome
 * - `listClients` → AppClientInfo[]
 * plus plain messages: producer → broker `{ type: 'claimWindows', windowIds }`
 * (after a failover), broker → producer the lifecycle events of its windows.
 */

/** What the app answered to a window request; at least `windowId`. */
export interface WindowAck {
  type: 'windowAck';
  requestId: string;
  windowId: string;
  [key: string]: unknown;
}

export interface WindowClosedEvent {
  type: 'windowClosed';
  windowId: string;
  [key: string]: unknown;
}

export interface TerminalExitedEvent {
  type: 'terminalExited';
  windowId: string;
  exitCode?: number | null;
  [key: string]: unknown;
}

export type WindowLifecycleEvent = WindowClosedEvent | TerminalExitedEvent;

export interface AppClientInfo {
  clientId: string;
  labels: Record<string, unknown>;
  /** Epoch milliseconds. */
  connectedAt: number;
}

export interface RouteRequest {
  requestId: string;
  window: unknown;
  targetClientId?: string;
  /** What is left of the spawn() timeout. */
  timeoutMs: number;
  /** The whole spawn() timeout, for messages. */
  totalMs?: number;
}

/** Broker's answer to a producer: errors travel as data so their code survives the trip. */
export type RouteOutcome = { ack: WindowAck } | { error: { code: string; message: string } };

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

export function isLifecycleEvent(message: unknown): message is WindowLifecycleEvent {
  return (
    isObject(message) &&
    (message.type === 'windowClosed' || message.type === 'terminalExited') &&
    typeof message.windowId === 'string'
  );
}

export function isWindowAck(message: unknown): message is WindowAck {
  return isObject(message) && message.type === 'windowAck' && typeof message.requestId === 'string' && typeof message.windowId === 'string';
}

/** The process that asked for a window: the only one that hears about it afterwards. */
export interface WindowOrigin {
  deliver(event: WindowLifecycleEvent): void;
  readonly isGone: boolean;
}
