import type { ErrorReport } from '../../engine/error-report.js';

// The messages between the notebook page and the `runbook open` process, as
// JSON over the page's websocket. The page imports only these types.

/** A block's state on the page: idle until it runs; then as its last run ended. */
export type BlockState = 'idle' | 'running' | 'passed' | 'failed' | 'timed-out' | 'skipped' | 'not-run';

/** Markdown between fences, rendered to HTML (raw HTML in the doc is shown as text). */
export interface ProseSegment {
  kind: 'prose';
  html: string;
}

/** A fenced block. `output` fences are not segments of their own: they travel with their code block as `expected`. */
export interface CodeSegment {
  kind: 'code';
  index: number;
  /** "block 3", as every report numbers code and shell blocks. */
  number?: number;
  lang: string;
  /** The fence's info string after the language (`silent`, `timeout=…`). */
  info: string;
  /** Highlighted code, one HTML string per line. */
  lines: string[];
  /** 1-based Markdown line of the block's first code line (the line numbers shown). */
  line: number;
  /** Code and shell blocks run; other fences are shown only. */
  runnable: boolean;
  /** The text of the block's `output` fence, when it has one. */
  expected?: string;
}

export type Segment = ProseSegment | CodeSegment;

/** What the page shows under a block: its state and its last run. */
export interface BlockView {
  index: number;
  status: BlockState;
  stdout: string;
  stderr: string;
  value?: string;
  error?: ErrorReport;
  reason?: string;
  durationMs?: number;
}

/** Server → page. */
export type ServerMessage =
  /** The whole doc and every block's state: on connect, after an edit on disk, after a restart. */
  | { type: 'doc'; path: string; title: string; segments: Segment[]; blocks: BlockView[]; problem?: string }
  | { type: 'block'; block: BlockView }
  | { type: 'output'; index: number; stream: 'stdout' | 'stderr'; text: string }
  | { type: 'busy'; busy: boolean; what?: string }
  /** How the last "run all" ended: the doc's status, and whether it was stamped. */
  | { type: 'doc-result'; status: string; stamped: boolean; error?: ErrorReport; warnings: string[] }
  | { type: 'console'; id: number; input: string; output: string; value?: string; error?: ErrorReport }
  | { type: 'notice'; level: 'info' | 'error'; text: string };

/** Page → server. */
export type ClientMessage =
  | { type: 'run'; index: number }
  | { type: 'run-from'; index: number }
  | { type: 'run-all' }
  | { type: 'restart' }
  | { type: 'eval'; id: number; code: string };
