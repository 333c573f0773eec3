import type { ErrorReport } from '../engine/error-report.js';
import type { Block } from '../markdown/document.js';
import { isNoFenceTokens, noFenceTokens, type FenceTokens } from '../markdown/fence-tokens.js';
import type { BlockResult, DocResult } from './results.js';
import type { RunOptions } from './run-options.js';
import type { StreamName } from './output-stream.js';

// The messages between the supervisor (the `runbook` process) and an executor
// (a process that runs docs). The supervisor never runs doc code; the executor
// never prints a report, stamps a file or decides an exit code.

/** What the --step prompt answered for a block. */
export type BlockDecision = 'run' | 'skip' | 'quit';

/**
 * A block as the supervisor hears of it when its doc opens. The code of code and
 * shell blocks and the headings above each block are left out, unless the
 * supervisor shows them (--step, --console): only the executor runs a block, and
 * they are most of what a long doc's opening would carry (1,000 blocks: 502 → 274 kB,
 * read by the supervisor in 11 ms instead of 25). An output fence keeps its content: the
 * supervisor compares output with it.
 */
export type OpenedBlock = Omit<Block, 'source' | 'sections'> & Partial<Pick<Block, 'source' | 'sections'>>;

/** What the executor tells of a doc once it is parsed: enough to report and write back. */
export interface DocOutline {
  title: string;
  tags: string[];
  text: string;
  blocks: OpenedBlock[];
}

/** A doc with its blocks whole: what --step and --console show. */
export interface DocOpened extends DocOutline {
  blocks: Block[];
}

// Field by field, not with a rest pattern (`{ source, ...block }`): that costs ~5 us a block here.
function outlineOf(block: Block, none: FenceTokens): OpenedBlock {
  const { index, number, lang, kind, tokens, fenceLine, line, indent, lineIndents, start, end, expectedOutputOf, expectedOutput } = block;
  const opened: OpenedBlock = { index, lang, kind, tokens: isNoFenceTokens(tokens) ? none : tokens, fenceLine, line, indent, start, end };
  if (number !== undefined) opened.number = number;
  if (lineIndents !== undefined) opened.lineIndents = lineIndents;
  if (expectedOutputOf !== undefined) opened.expectedOutputOf = expectedOutputOf;
  if (expectedOutput !== undefined) opened.expectedOutput = expectedOutput;
  if (kind === 'output') opened.source = block.source;
  return opened;
}

/** The blocks as the supervisor hears of them: whole when it shows them (`whole`), else see OpenedBlock. */
export function openedBlocks(blocks: Block[], whole: boolean): OpenedBlock[] {
  if (whole) return blocks;
  // One object for every fence without tokens: the message holds it once, and the supervisor reads it once.
  const none = noFenceTokens();
  const opened: OpenedBlock[] = new Array(blocks.length);
  for (let i = 0; i < blocks.length; i++) opened[i] = outlineOf(blocks[i]!, none);
  return opened;
}

/** The doc with its blocks whole; throws when the executor left their code out (it sends it whole for --step and --console). */
export function wholeDoc(doc: DocOutline): DocOpened {
  if (doc.blocks.some((block) => block.source === undefined || block.sections === undefined)) {
    throw new Error('internal error: the executor left the blocks’ code out of the doc, which --step and --console show');
  }
  return doc as DocOpened;
}

/** An output fence as the supervisor has it: always with its content (see OpenedBlock). */
export function outputFence(block: OpenedBlock): OpenedBlock & { source: string } {
  if (block.source === undefined) throw new Error(`internal error: the executor left out the content of the output fence at line ${block.fenceLine}`);
  return block as OpenedBlock & { source: string };
}

export interface RunRequest {
  type: 'run';
  path: string;
  options: RunOptions;
  /** The doc's run id: every process it starts carries it (see process-sweep.ts). */
  runId: string;
  /** Ask before each block (--step). */
  step?: boolean;
  /** Keep the doc's context after the run for console requests (--console). */
  keepAlive?: boolean;
  /** Run only these blocks (by index): the `always` blocks left after an executor had to be stopped. */
  only?: number[];
  /** The doc's Markdown when it is not a file to read (`runbook run -`); `path` is then only its name. */
  text?: string;
  /** The epoch of this run's progress register (see progress-register.ts); set by the supervisor's Executor. */
  registerEpoch?: number;
}

/** Requests on a kept-alive doc (--console, runbook open). */
export type SessionRequest =
  | { type: 'eval'; id: number; code: string; colors: boolean }
  | { type: 'complete'; id: number; line: string }
  | { type: 'rerun'; id: number; index: number }
  /** Read, parse and compile the doc again (edited on disk); its context is kept. */
  | { type: 'reload'; id: number }
  | { type: 'dispose'; id: number };

/** Supervisor → executor. */
export type ToExecutor =
  /** `register`: the executor has a progress register (progress-register.ts) at its fd 9. */
  | { type: 'hello'; marker: string; register: boolean }
  /** Load the parser and esbuild now, before any doc (--watch: the next run compiles an edited doc). */
  | { type: 'warm' }
  | RunRequest
  | { type: 'verdict'; failed: boolean }
  | { type: 'decision'; decision: BlockDecision }
  | SessionRequest;

/**
 * A block's result as the executor knows it: its output is what the supervisor
 * read from the executor's pipes. (Omit flattens BlockResult's union: the
 * executor fills a result in as its block runs, status first.)
 */
export type ExecutedBlock = Omit<BlockResult, 'stdout' | 'stderr'>;

/**
 * The result the supervisor keeps for a block its executor reported, with the
 * output it read: the one place an executed block's status meets the fields
 * that status has. Keys keep the order the executor gave them (JSON reports).
 */
export function withOutput(block: ExecutedBlock, output: { stdout: string; stderr: string }): BlockResult {
  // Key by key, not with a rest pattern: V8 copies with exclusions on a slow path, 2-3x the time,
  // and the supervisor does this for every block.
  const result: Record<string, unknown> = {};
  for (const key of Object.keys(block)) if (key !== 'error' && key !== 'reason') result[key] = block[key as keyof ExecutedBlock];
  switch (block.status) {
    case 'failed':
    case 'timed-out':
      // An executor always sends a failure's error; the fallback keeps a broken one visible.
      result.error = block.error ?? { message: `block ${block.number} ${block.status}, and its executor sent no error` };
      break;
    case 'skipped':
    case 'not-run':
      result.reason = block.reason ?? '';
      break;
  }
  result.stdout = output.stdout;
  result.stderr = output.stderr;
  return result as unknown as BlockResult; // the fields its status has are set just above
}

export interface DocDone {
  type: 'done';
  result: DocResult;
  /** Whether the doc's blocks ran (a stamp is due) and whether it was stopped at a --step prompt (no stamp). */
  ranAny: boolean;
  stopped: boolean;
  /** Why the executor must not take another doc; empty when it is clean. */
  dirty: string[];
  /** Streams a callback of the doc's last block printed to after the block ended: each has that block's end mark after it (see BlockMarks.docEnd). */
  marked?: { index: number; streams: StreamName[] };
}

/** Executor → supervisor. */
export type FromExecutor =
  | { type: 'ready' }
  /** `at`, here and below: when it happened, as performance.timeOrigin + performance.now() in the executor. */
  /** `shortestLimitMs`: the shortest time limit any of its blocks has (a fence token or the frontmatter may set less than --timeout). */
  | { type: 'opened'; doc: DocOutline; shortestLimitMs: number; at: number }
  | { type: 'block-start'; index: number; timeoutMs: number; announce: boolean; at: number }
  /** `marked`: the streams the block printed to, whose end marks the supervisor waits for. */
  | { type: 'block-end'; result: ExecutedBlock; expectsVerdict: boolean; marked: StreamName[]; at: number }
  | { type: 'ask'; index: number }
  | DocDone
  | { type: 'reply'; id: number; marked?: StreamName[]; value?: string; completions?: [string[], string]; error?: ErrorReport; incomplete?: boolean; block?: ExecutedBlock; opened?: DocOpened; cleanup?: { cleanedUp: string[]; warnings: string[] } }
  | { type: 'late-fault'; origin: string; error: ErrorReport };

/** What goes down the IPC channel: one message or several in a row, with the supervisor's secret. */
export type ExecutorMessage = (FromExecutor | { type: 'batch'; messages: FromExecutor[] }) & { token: string };

/** The executor's clock as the supervisor can read it (see `at` above): both count from the same wall-clock origin. */
export function executorNow(): number {
  return performance.timeOrigin + performance.now();
}
