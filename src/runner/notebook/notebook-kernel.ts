import { readFileSync } from 'node:fs';
import type { Block } from '../../markdown/document.js';
import type { BlockView, ClientMessage, ServerMessage } from '../../servers/notebook/notebook-protocol.js';
import { DocSession } from '../doc-session.js';
import type { RunEvents } from '../events.js';
import type { DocOpened } from '../executor-protocol.js';
import type { DocResult } from '../results.js';
import { runDocs } from '../run.js';
import type { RunOptions } from '../run-options.js';
import type { SuperviseHooks } from '../schedule/supervise-doc.js';
import { secretMasker } from '../mask-secrets.js';
import { idleView, idleViews, keepViews, viewOf } from './block-views.js';
import { maskMessage } from './mask-message.js';
import { docSegments } from './doc-segments.js';

/** How long closing waits for the doc's cleanup before its executor is killed. */
const disposeGraceMs = 3000;

function isRunnable(block: Block | undefined): block is Block {
  return block?.kind === 'code' || block?.kind === 'shell';
}

// Why a doc has no live context, in words for the page.
function noContext(result: DocResult | undefined): string {
  if (!result) return 'The doc could not be opened.';
  if (result.status === 'skipped') return `The doc is skipped (${result.skipReason ?? 'no reason given'}), so nothing of it runs.`;
  return result.error?.message ?? 'The doc could not be opened in an executor.';
}

/**
 * The notebook's engine room, in the supervisor: one doc kept open in an
 * executor (a DocSession), the page's requests run one at a time against it,
 * and every change sent to the page as it happens. "Run all" is `runbook run`
 * of the doc in a fresh context (stamped unless `options.stamp` is false); a
 * block run, "run from here" and the console use the live context; an edit on
 * disk is reloaded into it; "restart" replaces it with a fresh one.
 */
export class NotebookKernel {
  readonly #path: string;
  readonly #options: RunOptions;
  readonly #send: (message: ServerMessage) => void;
  #session: DocSession | undefined;
  #doc: Pick<DocOpened, 'title' | 'text' | 'blocks'> = { title: '', text: '', blocks: [] };
  #views = new Map<number, BlockView>();
  #problem: string | undefined;
  #queue: Promise<void> = Promise.resolve();
  #busy: string | undefined;
  /** Console input being evaluated: what it printed so far. */
  #console: { output: string } | undefined;
  #closed = false;

  /** `send` reaches every open page; what it is given has the doc's secrets masked. */
  constructor(path: string, options: RunOptions, send: (message: ServerMessage) => void) {
    this.#path = path;
    this.#options = options;
    const mask = secretMasker({ ...process.env, ...options.env });
    this.#send = (message) => send(maskMessage(message, mask));
  }

  /** Opens the doc in an executor with nothing run yet. */
  start(): Promise<void> {
    return this.#enqueue('opening', () => this.#open());
  }

  /** Everything a page that just connected needs. */
  snapshot(): ServerMessage[] {
    return [this.#docMessage(), { type: 'busy', busy: this.#busy !== undefined, what: this.#busy }];
  }

  /** A page's request. Restart does not wait its turn: it stops a block that never ends. */
  handle(message: ClientMessage): void {
    switch (message.type) {
      case 'run':
        return void this.#enqueue(`running block ${this.#doc.blocks[message.index]?.number ?? '?'}`, async () => void (await this.#runOne(message.index)));
      case 'run-from':
        return void this.#enqueue('running from here', () => this.#runFrom(message.index));
      case 'run-all':
        return void this.#enqueue('running all', () => this.#runAll());
      case 'restart':
        this.#session?.kill();
        return void this.#enqueue('restarting', () => this.#open());
      case 'eval':
        return void this.#enqueue('evaluating', () => this.#evaluate(message.code, message.id));
    }
  }

  /** The doc changed on disk: its blocks re-read into the live context. */
  reload(): void {
    void this.#enqueue('reloading', () => this.#reload());
  }

  /** Disposes the doc's context (its container, timers, processes) and stops its executor. */
  async close(): Promise<void> {
    this.#closed = true;
    const session = this.#session;
    this.#session = undefined;
    if (!session) return;
    await Promise.race([session.dispose(), new Promise((resolve) => setTimeout(resolve, disposeGraceMs).unref())]);
    session.kill();
  }

  #enqueue(what: string, action: () => Promise<void>): Promise<void> {
    const run = async () => {
      if (this.#closed) return;
      this.#busy = what;
      this.#send({ type: 'busy', busy: true, what });
      try {
        await action();
      } catch (error) {
        this.#send({ type: 'notice', level: 'error', text: `${what} failed: ${(error as Error)?.message ?? String(error)}` });
      } finally {
        this.#busy = undefined;
        this.#send({ type: 'busy', busy: false });
      }
    };
    return (this.#queue = this.#queue.then(run));
  }

  #docMessage(): ServerMessage {
    const segments = docSegments(this.#doc);
    return { type: 'doc', path: this.#path, title: this.#doc.title || this.#path, segments, blocks: [...this.#views.values()], problem: this.#problem };
  }

  #setView(view: BlockView): void {
    this.#views.set(view.index, view);
    this.#send({ type: 'block', block: view });
  }

  // The session a run's keepAlive hands over: its output and late faults go to the page.
  #adopt(executor: Parameters<NonNullable<SuperviseHooks['keepAlive']>>[0], doc: DocOpened): void {
    const session = new DocSession(executor, doc, this.#path, { ...process.env, ...this.#options.env });
    session.setOutput((stream, index, text) => {
      if (this.#console && (index === undefined || !this.#views.has(index))) this.#console.output += text;
      else if (index !== undefined && this.#views.has(index)) this.#send({ type: 'output', index, stream, text });
    });
    session.setFaultListener((report, origin) => {
      this.#send({ type: 'notice', level: 'error', text: `${origin} in the doc${report.location ? ` at ${report.location}` : ''}: ${report.message}` });
    });
    this.#session = session;
    this.#doc = doc;
  }

  async #dropSession(): Promise<void> {
    const session = this.#session;
    this.#session = undefined;
    if (session?.alive) await session.dispose();
  }

  // A doc without a context (skipped, unreadable) is still shown, parsed here.
  async #showWithoutContext(result: DocResult | undefined): Promise<void> {
    this.#problem = noContext(result);
    try {
      const { parseRunbookText } = await import('../../markdown/parse.js');
      const doc = parseRunbookText(readFileSync(this.#path, 'utf8'), this.#path);
      this.#doc = doc;
    } catch (error) {
      this.#problem += ` ${(error as Error).message}`;
    }
  }

  // Every block answered 'skip': the doc is open with its context alive and nothing run.
  async #open(): Promise<void> {
    await this.#dropSession();
    this.#problem = undefined;
    const hooks: SuperviseHooks = { beforeBlock: () => 'skip', keepAlive: (executor, doc) => this.#adopt(executor, doc) };
    const result = await runDocs([this.#path], { ...this.#options, stamp: false, update: false }, {}, { hooks });
    if (!this.#session) await this.#showWithoutContext(result.docs[0]);
    this.#views = idleViews(this.#doc.blocks);
    this.#send(this.#docMessage());
  }

  #runEvents(): RunEvents {
    return {
      onBlockStart: ({ index }) => this.#setView({ ...idleView(index), status: 'running' }),
      onBlockOutput: ({ index, stream, text }) => this.#send({ type: 'output', index, stream, text }),
      onBlockEnd: ({ result }) => this.#setView(viewOf(result)),
      onDocEnd: (result) => this.#send({ type: 'doc-result', status: result.status, stamped: result.stamped, error: result.error, warnings: result.warnings }),
    };
  }

  // As `runbook run` runs the doc: a fresh context, deadlines, output fences judged, the stamp.
  async #runAll(): Promise<void> {
    await this.#dropSession();
    this.#problem = undefined;
    this.#views = idleViews(this.#doc.blocks);
    this.#send(this.#docMessage());
    const result = await runDocs([this.#path], this.#options, this.#runEvents(), { hooks: { keepAlive: (executor, doc) => this.#adopt(executor, doc) } });
    // An executor lost at a deadline takes its context with it: a fresh one keeps the page usable.
    if (!this.#session) {
      const views = this.#views;
      await this.#open();
      for (const view of views.values()) if (this.#views.has(view.index)) this.#setView(view);
      if (!this.#problem) this.#send({ type: 'notice', level: 'info', text: `The doc's context did not survive the run (${noContext(result.docs[0])}); a fresh one is open.` });
    }
  }

  #live(): DocSession {
    if (!this.#session?.alive) throw new Error(`the doc has no live context${this.#problem ? ` (${this.#problem})` : ''}; press restart`);
    return this.#session;
  }

  async #runOne(index: number): Promise<BlockView> {
    const session = this.#live();
    if (!isRunnable(session.doc.blocks[index])) throw new Error(`the doc has no code block with index ${index}`);
    this.#setView({ ...idleView(index), status: 'running' });
    let view: BlockView;
    try {
      view = viewOf(await session.runBlock(index));
    } catch (error) {
      view = { ...idleView(index), status: 'failed', error: { message: (error as Error).message } };
    }
    this.#setView(view);
    return view;
  }

  // Each runnable block from `index` on, in order, until one fails; `skip` fences stay skipped, as in a run.
  async #runFrom(index: number): Promise<void> {
    const blocks = this.#live().doc.blocks.filter((block) => isRunnable(block) && block.index >= index && !block.tokens.skip);
    for (const block of blocks) {
      const view = await this.#runOne(block.index);
      if (view.status === 'failed' || view.status === 'timed-out') return;
    }
  }

  async #evaluate(code: string, id: number): Promise<void> {
    const session = this.#live();
    const captured = (this.#console = { output: '' });
    try {
      const outcome = await session.evaluate(code, false);
      const error = outcome.incomplete ? { message: `incomplete input: ${outcome.error?.message ?? 'the input ends early'}` } : outcome.error;
      this.#send({ type: 'console', id, input: code, output: captured.output, value: outcome.value, error });
    } finally {
      this.#console = undefined;
    }
  }

  async #reload(): Promise<void> {
    if (!this.#session?.alive) return this.#open();
    const before = this.#doc.blocks;
    try {
      this.#doc = await this.#session.reload();
    } catch (error) {
      this.#send({ type: 'notice', level: 'error', text: `The edited doc could not be read; the page shows it as it was. ${(error as Error).message}` });
      return;
    }
    this.#views = keepViews(before, this.#doc.blocks, this.#views);
    this.#send(this.#docMessage());
  }
}
