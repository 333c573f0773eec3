import type { Block } from '../../markdown/document.js';
import type { BlockDecision } from '../executor-protocol.js';
import { docStart } from '../events.js';
import { wholeDoc, withOutput, type DocDone, type DocOpened, type DocOutline, type FromExecutor, type RunRequest } from '../executor-protocol.js';
import { ExecutorDeadlines, type ExecutorProgress } from '../limits.js';
import { maskBlock } from '../mask-secrets.js';
import { blockText, judgeOutput, type DocWatch } from './doc-watch.js';
import { describeExit, type Executor } from './executor.js';
import { LiveOutput } from './live-output.js';
import { blockIdentity } from '../results.js';

/** Interactive hooks, answered in the supervisor (--step; --console keeps the doc open). */
export interface SuperviseHooks {
  beforeBlock?(block: Block): BlockDecision | Promise<BlockDecision>;
  /** Given, the doc stays open in its executor after the run; the receiver owns the executor. */
  keepAlive?(executor: Executor, doc: DocOpened): void;
}

/** What one executor did with a doc before it reported done or was lost. */
export interface Attempt {
  done?: DocDone;
  /** Why the executor ended before the doc did. */
  lost?: string;
  /** The block that was running when it was lost. */
  running?: number;
  timedOut?: boolean;
  strays: number;
}

/** An executor's `at` (see executor-protocol.ts) as this process's performance.now(), never later than now. */
function supervisorTime(at: number): number {
  return Math.min(at - performance.timeOrigin, performance.now());
}

/** Runs a doc's request on one executor, reading its messages and output, enforcing its deadlines. */
export function attempt(watch: DocWatch, executor: Executor, request: RunRequest, hooks: SuperviseHooks): Promise<Attempt> {
  return new Promise<Attempt>((settle) => new DocAttempt(watch, executor, request, hooks, settle).start());
}

/** One executor's run of a doc, seen from the supervisor: a handler per message, in order. */
class DocAttempt {
  readonly #watch: DocWatch;
  readonly #executor: Executor;
  readonly #request: RunRequest;
  readonly #hooks: SuperviseHooks;
  readonly #settle: (outcome: Attempt) => void;
  readonly #deadlines: ExecutorDeadlines;
  readonly #live: LiveOutput;
  #running: number | undefined;
  #finished = false;
  #stopListening: () => void = () => {};
  // One message at a time, in order: a block's end waits for its output before the doc's end is read.
  #queue = Promise.resolve();

  constructor(watch: DocWatch, executor: Executor, request: RunRequest, hooks: SuperviseHooks, settle: (outcome: Attempt) => void) {
    this.#watch = watch;
    this.#executor = executor;
    this.#request = request;
    this.#hooks = hooks;
    this.#settle = settle;
    this.#deadlines = new ExecutorDeadlines(
      watch.options,
      (why, timedOut) => this.#lose(why, timedOut),
      () => this.#progress(),
    );
    this.#live = new LiveOutput(watch.secrets, (stream, index, text) => {
      if (index === undefined) process.stderr.write(text);
      else watch.events.onBlockOutput?.({ path: watch.path, index, stream, text });
    });
  }

  start(): void {
    const executor = this.#executor;
    const watch = this.#watch;
    executor.setOutput((stream, index, text, open) => {
      if (index !== undefined && open) {
        // Printed by a callback the block left, after it ended: added to its result.
        const ended = watch.blocks.get(index);
        if (ended) ended[stream] += text;
        else blockText(watch, index)[stream] += text;
      }
      this.#live.write(stream, index, text);
    });
    const stopReading = executor.onMessage((message) => {
      this.#enqueue(() => this.#onMessage(message));
    });
    const stopWatchingExit = executor.onExit(({ code, signal }) => {
      if (this.#finished) return;
      const said = executor.stderrTail.match(/FATAL ERROR: [^\n]*|JavaScript heap out of memory|Aborted/)?.[0];
      this.#lose(`The executor running this doc ended (${describeExit(code, signal)})${said ? `: ${said}` : ''} before the doc finished. Look for process.kill, a native crash or running out of memory in this block.`);
    });
    this.#stopListening = () => {
      stopReading();
      stopWatchingExit();
    };
    executor.send(this.#request);
  }

  /**
   * The executor is lost (it died, or is stopped at a deadline). Its register
   * says which block was running, past the messages it held back; the blocks
   * before that whose ends it never sent passed in silence (see
   * supervisor-channel.ts), and are reported so, after the messages it did send.
   */
  #lose(why: string, timedOut?: boolean): void {
    const record = this.#executor.progress();
    const strays = this.#executor.kill();
    this.#enqueue(async () => {
      if (record) await this.#passedInSilence(record.index - 1);
      // The block it started last, unless its end came (the executor was lost between blocks).
      const running = record && !this.#watch.blocks.has(record.index) ? record.index : this.#running;
      this.#finish({ lost: why, running, timedOut, strays });
    });
  }

  async #passedInSilence(last: number): Promise<void> {
    const only = this.#request.only;
    for (const block of this.#watch.doc?.blocks ?? []) {
      if (block.index > last) break;
      if ((block.kind !== 'code' && block.kind !== 'shell') || this.#watch.blocks.has(block.index) || (only && !only.includes(block.index))) continue;
      await this.#blockEnd({ type: 'block-end', result: { ...blockIdentity(block), status: 'passed' }, expectsVerdict: false, marked: [], at: 0 });
    }
  }

  /** After the messages before it. */
  #enqueue(step: () => void | Promise<void>): void {
    this.#queue = this.#queue.then(step);
  }

  /** Where the executor is by its register, which may be ahead of its messages; see ExecutorDeadlines. */
  #progress(): ExecutorProgress {
    const record = this.#executor.progress();
    if (!record) return undefined;
    // Only news: a block the messages did not say started (and did not say ended).
    if (record.index === this.#running || this.#watch.blocks.has(record.index)) return undefined;
    return { at: supervisorTime(record.at), blockMs: record.limitMs };
  }

  #finish(outcome: Attempt): void {
    if (this.#finished) return;
    this.#finished = true;
    this.#live.flush();
    this.#deadlines.clear();
    this.#stopListening();
    this.#executor.setOutput(undefined);
    this.#settle(outcome);
  }

  async #onMessage(message: FromExecutor): Promise<void> {
    switch (message.type) {
      case 'opened':
        this.#deadlines.setShortestLimit(message.shortestLimitMs);
        return this.#opened(message.doc);
      case 'ask':
        // Not waited for here: the executor says nothing until it has the answer, and the answer may never
        // come (Ctrl-C at the prompt), while the executor's loss must still be reported.
        return void this.#ask(message.index);
      case 'block-start':
        this.#running = message.index;
        if (message.announce) this.#watch.events.onBlockStart?.({ path: this.#watch.path, index: message.index, timeoutMs: message.timeoutMs });
        this.#live.announce(message.index);
        return this.#deadlines.block(message.timeoutMs, supervisorTime(message.at));
      case 'block-end':
        return this.#blockEnd(message);
      case 'done':
        // What the doc printed outside its blocks is read up to its mark first: it belongs in the doc's result.
        if (message.marked) await this.#executor.endMarks(message.marked.index, message.marked.streams);
        return this.#finish({ done: message, strays: 0 });
      default:
        return undefined;
    }
  }

  #opened(doc: DocOutline): void {
    const watch = this.#watch;
    watch.doc ??= doc;
    if (!this.#request.only) watch.events.onDocStart?.(docStart(watch.path, doc));
    this.#deadlines.betweenBlocks();
  }

  // --step: the prompt waits for the user, not the executor.
  async #ask(index: number): Promise<void> {
    const watch = this.#watch;
    this.#deadlines.pause();
    watch.events.onBlockStart?.({ path: watch.path, index, timeoutMs: watch.options.timeout });
    this.#live.announce(index);
    const decision = (await this.#hooks.beforeBlock?.(wholeDoc(watch.doc!).blocks[index]!)) ?? 'run';
    this.#executor.send({ type: 'decision', decision });
    this.#deadlines.betweenBlocks();
  }

  async #blockEnd(message: Extract<FromExecutor, { type: 'block-end' }>): Promise<void> {
    const executor = this.#executor;
    const watch = this.#watch;
    this.#deadlines.pause();
    const ran = this.#running === message.result.index;
    this.#running = undefined;
    if (ran) await executor.endMarks(message.result.index, message.marked);
    this.#live.flush();
    const text = watch.output.get(message.result.index) ?? { stdout: '', stderr: '' };
    const result = withOutput(message.result, text);
    if (message.expectsVerdict) executor.send({ type: 'verdict', failed: await judgeOutput(watch, result) });
    watch.blocks.set(result.index, result);
    // Masked in a copy: the kept result is masked once, with the whole doc (maskResult).
    const shown = { ...result };
    if (shown.error) shown.error = { ...shown.error };
    watch.events.onBlockEnd?.({ path: watch.path, result: maskBlock(shown, watch.mask) });
    this.#deadlines.betweenBlocks();
  }
}
