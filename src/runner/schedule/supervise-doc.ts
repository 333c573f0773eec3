import { resolve } from 'node:path';
import { codeFrame } from '../../engine/code-frame.js';
import { maxTimeoutMs } from '../../engine/timeout-limit.js';
import type { ErrorReport } from '../../engine/error-report.js';
import type { Block } from '../../markdown/document.js';
import type { RunEvents } from '../events.js';
import type { BlockDecision, DocDone, DocOpened, FromExecutor, RunRequest } from '../executor-protocol.js';
import type { OutputUpdate } from '../expected-output.js';
import { maskBlock, maskResult, secretMasker } from '../mask-secrets.js';
import { newRunId } from '../process-sweep.js';
import type { BlockResult, DocResult } from '../results.js';
import type { RunOptions } from '../run-options.js';
import type { StreamName } from '../output-stream.js';
import { describeExit, type Executor } from './executor.js';
import { LiveOutput } from './live-output.js';

/** How long past a block's (or the doc's) own limit the supervisor waits before it stops an executor. */
export const killGraceMs = 1000;

const neverYielded = ' (The block never gave control back, so the process running it was stopped.)';

/** Where a doc gets its executors: a pool, or one made for it. */
export interface ExecutorSource {
  acquire(): Promise<Executor>;
  /** Gives the executor back: kept for the next doc when `reusable`, else stopped. */
  release(executor: Executor, reusable: boolean): void;
  /** Lets go of an executor for good, without stopping it: its new owner stops it (--console). */
  detach(executor: Executor): void;
  /** True once the run is being stopped (SIGINT/SIGTERM): nothing more is stamped. */
  readonly closing: boolean;
}

/** Interactive hooks, answered in the supervisor (--step; --console keeps the doc open). */
export interface SuperviseHooks {
  beforeBlock?(block: Block): BlockDecision | Promise<BlockDecision>;
  /** Given, the doc stays open in its executor after the run; the receiver owns the executor. */
  keepAlive?(executor: Executor, doc: DocOpened): void;
}

/** What one executor did with a doc before it reported done or was lost. */
interface Attempt {
  done?: DocDone;
  /** Why the executor ended before the doc did. */
  lost?: string;
  /** The block that was running when it was lost. */
  running?: number;
  timedOut?: boolean;
  strays: number;
}

/** The supervisor's side of one doc: what it has read and decided so far. */
interface DocWatch {
  path: string;
  options: RunOptions;
  events: RunEvents;
  mask: (text: string) => string;
  /** The doc's environment: its secrets are masked. */
  env: NodeJS.ProcessEnv;
  doc?: DocOpened;
  blocks: Map<number, BlockResult>;
  output: Map<number, Record<StreamName, string>>;
  updates: OutputUpdate[];
  runId: string;
}

function blockText(watch: DocWatch, index: number): Record<StreamName, string> {
  let text = watch.output.get(index);
  if (!text) watch.output.set(index, (text = { stdout: '', stderr: '' }));
  return text;
}

function errorAt(watch: DocWatch, block: Block | undefined, message: string, code: string): ErrorReport {
  if (!block || !watch.doc) return { message, code };
  const line = block.line;
  const column = (block.lineIndents?.[0] ?? block.indent) + 1;
  return { message, code, location: `${watch.path}:${line}:${column}`, line, column, frame: codeFrame(watch.doc.text, line, column) };
}

/** Compares a block's output with its `output` fence; true when the block fails. */
async function judgeOutput(watch: DocWatch, result: BlockResult): Promise<boolean> {
  const block = watch.doc?.blocks[result.index];
  const outputBlock = block?.expectedOutput !== undefined ? watch.doc!.blocks[block.expectedOutput] : undefined;
  if (!outputBlock) return false;
  const { compareOutput, outputUpdate } = await import('../expected-output.js'); // loads a diff library
  // Compared masked: the fence holds what --update wrote, and it never writes a secret.
  const shown = watch.mask(result.stdout);
  const diff = compareOutput(outputBlock.source, shown);
  if (!diff) return false;
  if (watch.options.update) {
    watch.updates.push(outputUpdate(watch.doc!.text, outputBlock, shown));
    return false;
  }
  result.status = 'failed';
  result.error = {
    ...errorAt(watch, outputBlock, 'Output differs from the expected output (run with --update to accept the new output).', 'RUNBOOK_OUTPUT_MISMATCH'),
    diff,
  };
  return true;
}

/** Runs a doc's request on one executor, reading its messages and output, enforcing its deadlines. */
function attempt(watch: DocWatch, executor: Executor, request: RunRequest, hooks: SuperviseHooks): Promise<Attempt> {
  const { path, options, events } = watch;
  return new Promise<Attempt>((settle) => {
    let running: number | undefined;
    let deadline: NodeJS.Timeout | undefined;
    let docDeadline: NodeJS.Timeout | undefined;
    let finished = false;
    const finish = (outcome: Attempt) => {
      if (finished) return;
      finished = true;
      live.flush();
      clearTimeout(deadline);
      clearTimeout(docDeadline);
      stopListening();
      executor.setOutput(undefined);
      settle(outcome);
    };
    const stop = (why: string, timedOut: boolean) => {
      const strays = executor.kill();
      finish({ lost: why, running, timedOut, strays });
    };
    // Between blocks an executor answers within a block's limit; during one, within that block's.
    const expectWithin = (ms: number, why: () => string, timedOut: boolean) => {
      clearTimeout(deadline);
      deadline = setTimeout(() => stop(why(), timedOut), Math.min(ms + killGraceMs, maxTimeoutMs));
    };
    const betweenBlocks = () =>
      expectWithin(options.timeout, () => `The executor stopped responding for more than ${Math.round((options.timeout + killGraceMs) / 1000)} s between blocks (a loop in a timer or callback?) and was stopped.`, false);
    if (options.docTimeout) {
      docDeadline = setTimeout(() => stop(`The doc ran out of time: --doc-timeout is ${options.docTimeout} ms.${neverYielded}`, true), options.docTimeout + killGraceMs);
    }

    const live = new LiveOutput(watch.env, (stream, index, text) => {
      if (index === undefined) process.stderr.write(text);
      else events.onBlockOutput?.(path, index, stream, text);
    });
    executor.setOutput((stream, index, text, open) => {
      if (index !== undefined && open) blockText(watch, index)[stream] += text;
      live.write(stream, index, text);
    });

    const onMessage = async (message: FromExecutor) => {
      switch (message.type) {
        case 'opened':
          watch.doc ??= message.doc;
          if (request.only) return betweenBlocks();
          events.onDocStart?.({
            path,
            title: message.doc.title,
            text: message.doc.text,
            blocks: message.doc.blocks.map((b) => ({ index: b.index, number: b.number, lang: b.lang, kind: b.kind, line: b.fenceLine, start: b.start, end: b.end, silent: b.tokens.silent })),
          });
          return betweenBlocks();
        case 'ask': {
          clearTimeout(deadline);
          const block = watch.doc!.blocks[message.index]!;
          events.onBlockStart?.(path, message.index, options.timeout);
          live.announce(message.index);
          const decision = (await hooks.beforeBlock?.(block)) ?? 'run';
          executor.send({ type: 'decision', decision });
          return betweenBlocks();
        }
        case 'block-start': {
          running = message.index;
          if (message.announce) events.onBlockStart?.(path, message.index, message.timeoutMs);
          live.announce(message.index);
          const shown = message.timeoutMs;
          return expectWithin(shown, () => `Timed out after ${shown} ms. Raise it with the fence token timeout=MS, frontmatter timeout, or --timeout.${neverYielded}`, true);
        }
        case 'block-end': {
          clearTimeout(deadline);
          const ran = running === message.result.index;
          running = undefined;
          if (ran) await executor.endMarks(message.result.index, message.marked);
          live.flush();
          const text = watch.output.get(message.result.index) ?? { stdout: '', stderr: '' };
          const result: BlockResult = { ...message.result, stdout: text.stdout, stderr: text.stderr };
          if (message.expectsVerdict) executor.send({ type: 'verdict', failed: await judgeOutput(watch, result) });
          watch.blocks.set(result.index, result);
          events.onBlockEnd?.(path, maskBlock({ ...result, error: result.error && { ...result.error } }, watch.mask));
          return betweenBlocks();
        }
        case 'done':
          return finish({ done: message, strays: 0 });
        default:
          return undefined;
      }
    };
    // One message at a time, in order: a block's end waits for its output before the doc's end is read.
    let queue = Promise.resolve();
    const stopListening = executor.onMessage((message) => {
      queue = queue.then(() => onMessage(message));
    });
    void executor.exited.then(({ code, signal }) => {
      if (finished) return;
      const said = executor.stderrTail.match(/FATAL ERROR: [^\n]*|JavaScript heap out of memory|Aborted/)?.[0];
      const strays = executor.kill();
      finish({
        lost: `The executor running this doc ended (${describeExit(code, signal)})${said ? `: ${said}` : ''} before the doc finished. Look for process.kill, a native crash or running out of memory in this block.`,
        running,
        strays,
      });
    });
    executor.send(request);
  });
}

/** The block results of a doc whose executor was lost: the running block failed, later ones not run. */
function settleLost(watch: DocWatch, outcome: Attempt, only?: Set<number>): number[] {
  const always: number[] = [];
  for (const block of watch.doc?.blocks ?? []) {
    if ((block.kind !== 'code' && block.kind !== 'shell') || watch.blocks.has(block.index)) continue;
    if (only && !only.has(block.index)) continue;
    const base = { index: block.index, number: block.number!, lang: block.lang, line: block.fenceLine, durationMs: 0, stdout: watch.output.get(block.index)?.stdout ?? '', stderr: watch.output.get(block.index)?.stderr ?? '' };
    let result: BlockResult;
    if (block.index === outcome.running) {
      result = { ...base, status: outcome.timedOut ? 'timed-out' : 'failed', error: errorAt(watch, block, outcome.lost!, outcome.timedOut ? 'RUNBOOK_BLOCK_TIMEOUT' : 'RUNBOOK_EXECUTOR_LOST') };
    } else if (block.tokens.always && outcome.running !== undefined && block.index > outcome.running) {
      always.push(block.index);
      continue;
    } else {
      result = { ...base, status: 'not-run', reason: 'an earlier block failed' };
    }
    watch.blocks.set(block.index, result);
    watch.events.onBlockEnd?.(watch.path, maskBlock({ ...result }, watch.mask));
  }
  return always;
}

/**
 * Runs one doc on executors from `source` and reports it: the supervisor's
 * whole part of a doc. It owns the deadlines (an executor past them is killed
 * with its process tree; a fresh one runs the doc's remaining `always`
 * blocks), reads and masks the doc's output, checks `output` fences, and
 * stamps the doc. Never throws.
 */
export async function superviseDoc(path: string, options: RunOptions, events: RunEvents, source: ExecutorSource, hooks: SuperviseHooks = {}): Promise<DocResult> {
  const started = performance.now();
  const env = { ...process.env, ...options.env };
  const watch: DocWatch = { path, options, events, env, mask: secretMasker(env), blocks: new Map(), output: new Map(), updates: [], runId: newRunId() };
  const request: RunRequest = { type: 'run', path, options, runId: watch.runId, step: Boolean(hooks.beforeBlock), keepAlive: Boolean(hooks.keepAlive) };
  let result: DocResult = { path, title: path, tags: [], status: 'failed', durationMs: 0, blocks: [], cleanedUp: [], stamped: false, warnings: [] };
  let ranAny = false;
  let stopped = false;
  let only: Set<number> | undefined;
  const cleanedStrays: string[] = [];
  for (let current: RunRequest | undefined = request; current; ) {
    let executor: Executor;
    try {
      executor = await source.acquire();
      executor.hold(true);
      await executor.ready;
    } catch (error) {
      result.error = { message: `Could not start an executor process: ${(error as Error).message}.`, code: 'RUNBOOK_EXECUTOR_LOST' };
      break;
    }
    const outcome = await attempt(watch, executor, current, hooks);
    current = undefined;
    if (outcome.done) {
      const done = outcome.done;
      ranAny ||= done.ranAny;
      stopped = done.stopped;
      result = only ? { ...result, cleanedUp: [...result.cleanedUp, ...done.result.cleanedUp], warnings: [...result.warnings, ...done.result.warnings] } : done.result;
      if (only && done.result.status === 'failed') result.status = 'failed';
      if (hooks.keepAlive && !done.stopped && done.result.status !== 'skipped' && watch.doc) {
        source.detach(executor);
        hooks.keepAlive(executor, watch.doc);
      } else {
        executor.hold(false);
        source.release(executor, done.dirty.length === 0);
      }
      continue;
    }
    // The executor was lost (killed at a deadline, or it died): the doc failed here.
    ranAny = true;
    if (outcome.strays) cleanedStrays.push(`${outcome.strays} process${outcome.strays === 1 ? '' : 'es'}`);
    if (source.closing) {
      result = { ...result, title: watch.doc?.title ?? path, status: 'failed', error: { message: 'The run was interrupted before this doc finished; nothing was stamped.', code: 'RUNBOOK_INTERRUPTED' } };
      ranAny = false;
      break;
    }
    source.release(executor, false);
    const always = settleLost(watch, outcome, only);
    result = { ...result, title: watch.doc?.title ?? path, tags: result.tags, status: 'failed' };
    if (outcome.running === undefined) result.error = errorAt(watch, undefined, outcome.lost!, 'RUNBOOK_EXECUTOR_LOST');
    if (always.length) {
      only = new Set(always);
      current = { ...request, runId: newRunId(), step: false, keepAlive: false, only: always };
    }
  }
  result.blocks = [...watch.blocks.values()].sort((a, b) => a.index - b.index);
  result.cleanedUp.push(...cleanedStrays);
  if (result.blocks.some((block) => block.status === 'failed' || block.status === 'timed-out')) result.status = 'failed';
  result.durationMs = Math.round(performance.now() - started);
  const stamp = options.stamp && ranAny && !stopped && result.status !== 'skipped' && !source.closing;
  if (stamp || (watch.updates.length && !source.closing)) {
    try {
      const { writeBack } = await import('../write-back.js'); // loads the YAML parser
      const change = { stamp: stamp ? { lastTested: new Date().toISOString(), lastTestPassed: result.status !== 'failed' } : undefined, updates: watch.updates };
      result.stamped = writeBack(resolve(path), change, path, result.warnings);
    } catch (error) {
      result.warnings.push((error as Error).message);
    }
  }
  maskResult(result, watch.mask);
  events.onDocEnd?.(result);
  return result;
}
