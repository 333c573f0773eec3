import type { ErrorReport } from '../engine/error-report.js';
import type { Block } from '../markdown/document.js';

export type BlockStatus = 'passed' | 'failed' | 'timed-out' | 'skipped' | 'not-run';
/**
 * `skipped`: the doc did not run at all (frontmatter `skip`, unmet `requires`, nothing to run, no LLM key);
 * `not-run`: it was read and nothing failed, but none of its blocks ran (`--eval-mode none`, `--only-sections`
 * naming none of its headings, every block skipped at the `--step` prompt) — neither passed nor skipped.
 */
export type DocStatus = 'passed' | 'failed' | 'skipped' | 'not-run';

interface BlockResultBase {
  /** 0-based position among the doc's fences (output and prose fences included). */
  index: number;
  /** 1-based position among the doc's code and shell blocks: "block 3" in every report. */
  number: number;
  lang: string;
  /** 1-based Markdown line of the opening fence. */
  line: number;
  durationMs: number;
  stdout: string;
  stderr: string;
  /** The block's completion value, inspected (absent for `silent` blocks and undefined). */
  value?: string;
}

type Failure = { error: ErrorReport; reason?: undefined };
type NotRun = { reason: string; error?: undefined };

/** The fields a block's result has for each status (the others are declared absent, so `block.error?.message` reads without narrowing). */
interface StatusFields {
  passed: { error?: undefined; reason?: undefined };
  failed: Failure;
  'timed-out': Failure;
  skipped: NotRun;
  'not-run': NotRun;
}

/**
 * One block's outcome, a union on `status`: once narrowed, a failed or
 * timed-out block has its `error`, a skipped or not-run one its `reason`.
 */
export type BlockResult = { [S in BlockStatus]: BlockResultBase & { status: S } & StatusFields[S] }[BlockStatus];

export interface DocResult {
  /** Path as given on the command line. */
  path: string;
  title: string;
  tags: string[];
  status: DocStatus;
  /** Why it was skipped, or why none of its blocks ran (status `not-run`). */
  skipReason?: string;
  durationMs: number;
  blocks: BlockResult[];
  /** A failure not tied to one block (invalid frontmatter, a fault after the last block…). */
  error?: ErrorReport;
  /** What was still open when the doc ended and had to be cleaned up, e.g. "1 server". */
  cleanedUp: string[];
  /** Whether lastTested/lastTestPassed were written. */
  stamped: boolean;
  /** Non-fatal notes: an output block that could not be updated, a stamp that was refused… */
  warnings: string[];
}

export interface RunResult {
  docs: DocResult[];
  passed: number;
  failed: number;
  skipped: number;
  /** Docs none of whose blocks ran (absent in reports written before it was counted). */
  notRun: number;
  durationMs: number;
}

export function summarize(docs: DocResult[], durationMs: number): RunResult {
  const count = (status: DocStatus) => docs.filter((doc) => doc.status === status).length;
  return { docs, passed: count('passed'), failed: count('failed'), skipped: count('skipped'), notRun: count('not-run'), durationMs };
}

/** Why none of a doc's blocks ran: their one reason (`eval mode is none`), or each different one. */
export function notRunReason(blocks: readonly BlockResult[]): string {
  const reasons = [...new Set(blocks.map((block) => block.reason ?? block.status))];
  return reasons.join('; ') || 'no block ran';
}

/** What every result of a code or shell block starts from: which block it is, and no time spent yet. */
export function blockIdentity(block: Pick<Block, 'index' | 'number' | 'lang' | 'fenceLine'>): Pick<BlockResult, 'index' | 'number' | 'lang' | 'line' | 'durationMs'> {
  return { index: block.index, number: block.number!, lang: block.lang, line: block.fenceLine, durationMs: 0 };
}
