import type { Block } from '../markdown/document.js';
import type { BlockDecision } from '../runner/executor-protocol.js';
import { highlight } from '../runner/highlight.js';
import { colorsFor } from '../runner/reporters/format.js';

export interface StepIo {
  input: NodeJS.ReadStream;
  output: NodeJS.WriteStream;
}

const answers: Record<string, BlockDecision> = { '\r': 'run', '\n': 'run', r: 'run', y: 'run', s: 'skip', n: 'skip', q: 'quit', '\u001b': 'quit', '\u0004': 'quit' };

const ctrlC = '\u0003';

// One key press, without waiting for Enter; Ctrl-C arrives as a key here, not as SIGINT.
function readKey(input: NodeJS.ReadStream): Promise<string> {
  return new Promise((resolve) => {
    const wasRaw = input.isRaw;
    input.setRawMode(true);
    input.resume();
    input.once('data', (data: Buffer) => {
      input.setRawMode(wasRaw);
      input.pause();
      resolve(data.toString('utf8'));
    });
  });
}

/**
 * The --step prompt: before each block runs, ask run / skip / quit. When the
 * reporter does not already show the code (`showCode`), the prompt shows it,
 * highlighted.
 */
export function stepPrompt(io: StepIo, showCode: boolean): (block: Block) => Promise<BlockDecision> {
  const c = colorsFor(io.output);
  return async (block) => {
    if (showCode) {
      const code = highlight(block.source, block.lang, c).split('\n').map((line) => `${c.dim('│')} ${line}`);
      io.output.write(`${c.dim(`┌ block ${block.number} · ${block.lang} · line ${block.fenceLine}`)}\n${code.join('\n')}\n${c.dim('└')}\n`);
    }
    const question = `${c.bold(`Run block ${block.number}?`)} ${c.dim('[')}r${c.dim(']un (Enter)  [')}s${c.dim(']kip  [')}q${c.dim(']uit')} `;
    for (;;) {
      io.output.write(question);
      const key = (await readKey(io.input)).toLowerCase();
      if (key === ctrlC) {
        // Raised as the signal, Ctrl-C does here what it does everywhere else: clean up, stamp nothing, exit 130.
        io.output.write(`${c.red('^C')}\n`);
        process.kill(process.pid, 'SIGINT');
        return new Promise<never>(() => {});
      }
      const decision = answers[key] ?? answers[key.trim()];
      if (decision) {
        io.output.write(`${decision === 'run' ? c.green('run') : decision === 'skip' ? c.yellow('skip') : c.red('quit')}\n`);
        return decision;
      }
      io.output.write(`${c.dim(`(${JSON.stringify(key)}: press r, s or q)`)}\n`);
    }
  };
}
