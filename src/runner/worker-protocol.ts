import type { RunEvents } from './events.js';
import type { DocResult } from './results.js';
import type { RunOptions } from './run-options.js';

/** Parent → worker. */
export type ToWorker = { type: 'run'; path: string; options: RunOptions };

/** Worker → parent. */
export type FromWorker =
  | { type: 'ready' }
  | { type: 'event'; hook: keyof RunEvents; args: unknown[] }
  | { type: 'done'; result: DocResult; reusable: boolean };
