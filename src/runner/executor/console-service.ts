import { closeDoc } from '../doc/close-doc.js';
import type { DocRun } from '../doc/doc-run.js';
import type { InputEvaluator } from '../doc/input-evaluator.js';
import { executeBlock } from '../doc/run-blocks.js';
import type { FromExecutor, SessionRequest } from '../executor-protocol.js';
import { blockTimeout } from '../limits.js';
import { inputMark } from '../output-marks.js';
import type { BlockMarks } from './block-marks.js';

/** A doc kept open after its run (--console), and how its input is evaluated. */
export interface OpenDoc {
  run: DocRun;
  evaluator: InputEvaluator;
}

/**
 * Answers the console's requests about the doc kept open in this executor:
 * evaluate input, complete a name, run a block again, reload the doc from
 * disk (context kept), close the doc.
 * `close` is called when the doc is closed, before the reply.
 */
export async function serveConsole(open: OpenDoc | undefined, request: SessionRequest, send: (message: FromExecutor) => void, marks: BlockMarks, close: () => void): Promise<void> {
  const reply = (fields: Omit<Extract<FromExecutor, { type: 'reply' }>, 'type' | 'id'>) => send({ type: 'reply', id: request.id, ...fields });
  if (!open) return reply({ error: { message: 'No doc is open in this executor.' } });
  const { run, evaluator } = open;
  switch (request.type) {
    case 'eval': {
      // Marked like a block, so that the console shows what the input printed before its value.
      marks.start(inputMark(request.id));
      try {
        const value = await evaluator.evaluate(request.code);
        return reply({ marked: marks.end(), value: evaluator.show(value, request.colors) });
      } catch (error) {
        return reply({ marked: marks.end(), error: evaluator.report(error), incomplete: evaluator.isIncomplete(error) });
      }
    }
    case 'complete': {
      const { completeInContext } = await import('./complete-names.js');
      return reply({ completions: completeInContext(request.line, globalThis as unknown as Record<string, unknown>) });
    }
    case 'rerun': {
      const block = run.doc.blocks[request.index];
      if (!block || (block.kind !== 'code' && block.kind !== 'shell')) return reply({ error: { message: `The doc has no code block with index ${request.index}.` } });
      run.faults.fault = undefined;
      const result = await executeBlock(run, block, blockTimeout(block, run.doc, run.request.options), false);
      return reply({ block: result, marked: run.lastMarked });
    }
    case 'reload': {
      const { reloadDoc } = await import('../doc/reload-doc.js');
      try {
        return reply({ opened: await reloadDoc(run) });
      } catch (error) {
        return reply({ error: { message: (error as Error).message, code: (error as { code?: string }).code } });
      }
    }
    case 'dispose': {
      close();
      await closeDoc(run);
      return reply({ cleanup: { cleanedUp: run.result.cleanedUp, warnings: run.result.warnings } });
    }
  }
}
