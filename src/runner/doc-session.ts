import type { ErrorReport } from '../engine/error-report.js';
import type { Block } from '../markdown/document.js';
import { withOutput, type DocOpened, type FromExecutor, type SessionRequest } from './executor-protocol.js';
import type { BlockResult } from './results.js';
import type { StreamName } from './output-stream.js';
import { inputMark } from './output-marks.js';
import { secretMasker } from './mask-secrets.js';
import type { Executor } from './schedule/executor.js';

type Reply = Extract<FromExecutor, { type: 'reply' }>;
type BlockEnd = Extract<FromExecutor, { type: 'block-end' }>;
type Request = SessionRequest extends infer R ? (R extends { id: number } ? Omit<R, 'id'> : never) : never;

/** The block runBlock runs now: what it printed so far, and its output fence's verdict. */
interface RunningBlock {
  index: number;
  captured: Record<StreamName, string>;
  mismatch?: ErrorReport;
  /** Its verdict was asked for: its end marks were waited for then. */
  judged: boolean;
}

/**
 * A doc whose run has ended but whose context is still alive in its executor
 * (--console, runbook open): the supervisor's handle to evaluate input there,
 * complete names, run blocks again, reload the doc after an edit, and finally
 * dispose of it.
 */
export class DocSession {
  #doc: DocOpened;
  readonly #path: string;
  /** The doc's environment: what its secrets are, for whoever shows the session's output. */
  readonly env: NodeJS.ProcessEnv;
  readonly #mask: (text: string) => string;
  readonly #executor: Executor;
  readonly #pending = new Map<number, (reply: Reply) => void>();
  #nextId = 1;
  #onFault: ((report: ErrorReport, origin: string) => void) | undefined;
  #onOutput: ((stream: StreamName, index: number | undefined, text: string) => void) | undefined;
  #running: RunningBlock | undefined;

  /**
   * `path`, as the user named the doc, locates output mismatches (`doc.md:12:1`);
   * `env` is the doc's: a block's output is compared with its fence with the
   * env's secrets masked, as `runbook run` compares it.
   */
  constructor(executor: Executor, doc: DocOpened, path = 'doc', env: NodeJS.ProcessEnv = process.env) {
    this.#executor = executor;
    this.#doc = doc;
    this.#path = path;
    this.env = env;
    this.#mask = secretMasker(env);
    executor.onMessage((message) => {
      if (message.type === 'reply') {
        this.#pending.get(message.id)?.(message);
        this.#pending.delete(message.id);
      } else if (message.type === 'late-fault') this.#onFault?.(message.error, message.origin);
      else if (message.type === 'block-end' && message.expectsVerdict) void this.#judge(message);
    });
    executor.setOutput((stream, index, text) => {
      if (this.#running && index === this.#running.index) this.#running.captured[stream] += text;
      this.#onOutput?.(stream, index, text);
    });
  }

  /** The doc as the executor last read it (a reload replaces it). */
  get doc(): DocOpened {
    return this.#doc;
  }

  /** The doc's blocks that can run (code and shell), in order. */
  get runnable(): Block[] {
    return this.doc.blocks.filter((block) => block.kind === 'code' || block.kind === 'shell');
  }

  /** Where the doc's output goes from now on: with the block that printed it (undefined: console input or between blocks). */
  setOutput(listener: (stream: StreamName, index: number | undefined, text: string) => void): void {
    this.#onOutput = listener;
  }

  /** Called with errors the doc's timers or handlers throw while no input runs. */
  setFaultListener(listener: (report: ErrorReport, origin: string) => void): void {
    this.#onFault = listener;
  }

  // A block with an output fence waits for the supervisor's verdict, as in a run: its stdout against the fence.
  async #judge(message: BlockEnd): Promise<void> {
    const index = message.result.index;
    const running = this.#running?.index === index ? this.#running : undefined;
    if (running) running.judged = true;
    await this.#executor.endMarks(index, message.marked);
    const block = this.#doc.blocks[index];
    const fence = block?.expectedOutput !== undefined ? this.#doc.blocks[block.expectedOutput] : undefined;
    let failed = false;
    if (fence && running) {
      const { outputMismatch } = await import('./expected-output.js'); // loads a diff library
      running.mismatch = outputMismatch(this.#path, this.#doc.text, fence, this.#mask(running.captured.stdout));
      failed = running.mismatch !== undefined;
    }
    this.#executor.send({ type: 'verdict', failed });
  }

  #ask(request: Request, markOf?: (id: number) => number | undefined): Promise<Reply> {
    const id = this.#nextId++;
    return new Promise<Reply>((resolve, reject) => {
      if (!this.#executor.alive) return reject(new Error('The doc’s executor is no longer running (it ended or was stopped).'));
      // What the input printed is shown before its answer.
      this.#pending.set(id, (reply) => {
        const mark = markOf?.(id);
        void (mark !== undefined ? this.#executor.endMarks(mark, reply.marked ?? []) : Promise.resolve()).then(() => resolve(reply));
      });
      void this.#executor.exited.then(() => {
        if (this.#pending.delete(id)) reject(new Error('The doc’s executor ended while it ran this input (process.kill, a crash, or out of memory).'));
      });
      this.#executor.send({ ...request, id } as SessionRequest);
    });
  }

  /** Evaluates console input in the doc's context: its value shown (inspected there), or its error located. */
  evaluate(code: string, colors: boolean): Promise<{ value?: string; error?: ErrorReport; incomplete?: boolean }> {
    return this.#ask({ type: 'eval', code, colors }, inputMark);
  }

  async complete(line: string): Promise<[string[], string]> {
    return (await this.#ask({ type: 'complete', line })).completions ?? [[], line];
  }

  /**
   * Runs one of the doc's blocks again (by its index among all fences) in the
   * same context: its result with what it printed, and an `output` fence's
   * mismatch as its error.
   */
  async runBlock(index: number): Promise<BlockResult> {
    const running: RunningBlock = (this.#running = { index, captured: { stdout: '', stderr: '' }, judged: false });
    try {
      // A judged block's end marks were waited for before its verdict.
      const reply = await this.#ask({ type: 'rerun', index }, () => (running.judged ? undefined : index));
      if (reply.error) throw new Error(reply.error.message);
      const block = reply.block!;
      return withOutput({ ...block, error: block.error ?? running.mismatch }, running.captured);
    } finally {
      if (this.#running === running) this.#running = undefined;
    }
  }

  /** Reads, parses and compiles the doc again after an edit on disk; the context is kept. Throws when it does not parse. */
  async reload(): Promise<DocOpened> {
    const reply = await this.#ask({ type: 'reload' });
    if (reply.error || !reply.opened) throw new Error(reply.error?.message ?? 'The executor did not send the reloaded doc.');
    return (this.#doc = reply.opened);
  }

  /** Stops the executor at once, with everything the doc started (a block that never yields, a restart). */
  kill(): void {
    this.#executor.kill();
  }

  /** Whether the executor still runs. */
  get alive(): boolean {
    return this.#executor.alive;
  }

  /** Disposes the doc's container, clears its timers, stops its processes; then the executor is stopped. */
  async dispose(): Promise<{ cleanedUp: string[]; warnings: string[] }> {
    try {
      return (await this.#ask({ type: 'dispose' })).cleanup ?? { cleanedUp: [], warnings: [] };
    } catch (error) {
      return { cleanedUp: [], warnings: [(error as Error).message] };
    } finally {
      this.#executor.kill();
    }
  }
}
