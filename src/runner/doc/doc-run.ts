import type { Container } from '../../container/container.js';
import type { DocEvaluator } from '../../engine/doc-evaluator.js';
import type { ErrorReport } from '../../engine/error-report.js';
import type { DocRuntime } from '../../engine/runtime.js';
import type { Block, RunbookDocument } from '../../markdown/document.js';
import type { DocStateSnapshot } from '../executor/clean-state.js';
import type { BlockMarks } from '../executor/block-marks.js';
import type { DocDone, FromExecutor, RunRequest, ToExecutor } from '../executor-protocol.js';
import type { StreamName } from '../output-stream.js';
import type { BlockCode } from '../prepare-doc.js';
import type { DocResult } from '../results.js';
import type { DocFaults } from './doc-faults.js';

/** How the executor talks to its supervisor while it runs a doc. */
export interface SupervisorLink {
  /** Sends now, or (a block's start and end) holds until a flush, at the latest at the end of this turn. */
  send(message: FromExecutor): void;
  /** Lets the supervisor hear what was held: before the executor waits, or a block prints. */
  flush(): void;
  /** Keeps what is held until the next message that goes out at once ('done'): see SupervisorChannel.holdPastTurn. */
  holdPastTurn(): void;
  /** Resolves once what was sent has left this process (see SupervisorChannel.written). */
  written(): Promise<void>;
  /** The supervisor's next message of this type (an answer the executor waits for). */
  next<T extends ToExecutor['type']>(type: T): Promise<Extract<ToExecutor, { type: T }>>;
  /** Marks block boundaries in stdout and stderr (see BlockMarks). */
  marks: BlockMarks;
}

/** One doc in an executor: its parsed form, its live context, and how its blocks went. */
export interface DocRun {
  request: RunRequest;
  link: SupervisorLink;
  absolute: string;
  doc: RunbookDocument;
  code: Map<number, BlockCode>;
  container: Container;
  runtime: DocRuntime;
  evaluator: DocEvaluator;
  faults: DocFaults;
  result: DocResult;
  state: DocStateSnapshot;
  docDeadline?: number;
  failed: boolean;
  /** A block timed out: whatever it was waiting for may still run. */
  timedOut: boolean;
  skippedBecause?: string;
  stopped: boolean;
  ranAny: boolean;
  readonly importedModules: boolean;
  /** The streams the last block printed to. */
  lastMarked: StreamName[];
  /** Disarms the doc's guards and fault trap; returns how many processes the doc started. */
  release: () => number;
}

export const stoppedReason = 'the run was stopped at the --step prompt';

export function emptyResult(path: string): DocResult {
  return { path, title: path, tags: [], status: 'passed', durationMs: 0, blocks: [], cleanedUp: [], stamped: false, warnings: [] };
}

export function done(result: DocResult, extra: Partial<DocDone> = {}): DocDone {
  return { type: 'done', result, ranAny: false, stopped: false, dirty: [], ...extra };
}

/** A doc's error located in the Markdown file, its frame bounded by `block` when given. */
export function reportFor(run: DocRun, error: unknown, block?: Block): ErrorReport {
  return run.evaluator.report(error, block && { line: block.line, lastLine: block.line + block.source.split('\n').length - 1 });
}
