import type { ErrorReport } from '../engine/error-report.js';
import type { Block } from '../markdown/document.js';
import type { DocOpened, FromExecutor, SessionRequest } from './executor-protocol.js';
import type { BlockResult } from './results.js';
import type { StreamName } from './output-stream.js';
import { inputMark } from './output-marks.js';
import type { Executor } from './schedule/executor.js';

type Reply = Extract<FromExecutor, { type: 'reply' }>;
type Request = SessionRequest extends infer R ? (R extends { id: number } ? Omit<R, 'id'> : never) : never;

/**
 * A doc whose run has ended but whose context is still alive in its executor
 * (--console): the supervisor's handle to evaluate input there, complete names,
 * run blocks again, and finally dispose of it.
 */
export class DocSession {
  readonly doc: DocOpened;
  readonly #executor: Executor;
  readonly #pending = new Map<number, (reply: Reply) => void>();
  #nextId = 1;
  #onFault: ((report: ErrorReport, origin: string) => void) | undefined;

  constructor(executor: Executor, doc: DocOpened) {
    this.#executor = executor;
    this.doc = doc;
    executor.onMessage((message) => {
      if (message.type === 'reply') {
        this.#pending.get(message.id)?.(message);
        this.#pending.delete(message.id);
      } else if (message.type === 'late-fault') this.#onFault?.(message.error, message.origin);
    });
  }

  /** The doc's blocks that can run (code and shell), in order. */
  get runnable(): Block[] {
    return this.doc.blocks.filter((block) => block.kind === 'code' || block.kind === 'shell');
  }

  /** Where the doc's output goes from now on. */
  setOutput(listener: (stream: StreamName, text: string) => void): void {
    this.#executor.setOutput((stream, _index, text) => listener(stream, text));
  }

  /** Called with errors the doc's timers or handlers throw while no input runs. */
  setFaultListener(listener: (report: ErrorReport, origin: string) => void): void {
    this.#onFault = listener;
  }

  #ask(request: Request, markOf?: (id: number) => number): Promise<Reply> {
    const id = this.#nextId++;
    return new Promise<Reply>((resolve, reject) => {
      if (!this.#executor.alive) return reject(new Error('The doc’s executor is no longer running (it ended or was stopped).'));
      // What the input printed is shown before its answer.
      this.#pending.set(id, (reply) => void (markOf ? this.#executor.endMarks(markOf(id), reply.marked ?? []) : Promise.resolve()).then(() => resolve(reply)));
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

  /** Runs one of the doc's blocks again (by its index among all fences) in the same context. */
  async runBlock(index: number): Promise<BlockResult> {
    const reply = await this.#ask({ type: 'rerun', index }, () => index);
    if (reply.error) throw new Error(reply.error.message);
    return { ...reply.block!, stdout: '', stderr: '' };
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
