import { basename } from 'node:path';
import repl from 'node:repl';
import type { DocSession } from '../runner/doc-session.js';
import { maskBlock, maskError, secretMasker, secretStreamMasker } from '../runner/mask-secrets.js';
import { highlight } from '../runner/highlight.js';
import { colorsFor, formatDuration, formatError, indent, type Colors } from '../runner/reporters/format.js';
import type { BlockResult, BlockStatus, DocResult } from '../runner/results.js';

export interface ConsoleIo {
  input: NodeJS.ReadStream;
  output: NodeJS.WriteStream;
}

function statusMark(status: BlockStatus | undefined, c: Colors): string {
  switch (status) {
    case 'passed':
      return c.green('passed');
    case 'failed':
    case 'timed-out':
      return c.red(status);
    case undefined:
      return c.dim('-');
    default:
      return c.yellow(status);
  }
}

// For the greeting only: the names the doc's blocks declare at their start of line.
function declaredNames(session: DocSession): string[] {
  const pattern = /^(?:export\s+)?(?:const|let|var|function\*?|async\s+function|class)\s+([A-Za-z_$][\w$]*)/gm;
  const names = session.runnable.flatMap((block) => [...block.source.matchAll(pattern)].map((match) => match[1]!));
  return [...new Set(names)];
}

/** Block numbers are the ones reports use: code and shell blocks counted from 1. */
function blockTable(session: DocSession, statuses: Map<number, BlockStatus>, c: Colors): string {
  return session.runnable
    .map((block) => {
      const first = block.source.split('\n').find((line) => line.trim()) ?? '';
      const preview = first.length > 60 ? `${first.slice(0, 57)}...` : first;
      return `  ${c.bold(String(block.number).padStart(3))}  ${block.lang.padEnd(4)} line ${String(block.fenceLine).padEnd(5)} ${statusMark(statuses.get(block.index), c).padEnd(8)}  ${c.dim(preview)}`;
    })
    .join('\n');
}

function showBlockResult(result: BlockResult, c: Colors): string {
  if (result.error) return indent(formatError(result.error, c), '  ');
  const lines: string[] = [];
  if (result.value !== undefined) lines.push(`${c.cyan('→')} ${result.value}`);
  lines.push(c.green(`✓ ${formatDuration(result.durationMs)}`));
  return lines.join('\n');
}

// What every part of the console shares: the open doc, the terminal, its colours, each block's last status.
interface ConsoleState {
  session: DocSession;
  /** The doc's secrets masked in everything the console shows, as in reports. */
  mask: (text: string) => string;
  io: ConsoleIo;
  c: Colors;
  statuses: Map<number, BlockStatus>;
}

function greet({ session, io, c }: ConsoleState, result: DocResult): void {
  const names = declaredNames(session);
  const shown = names.length > 12 ? `${names.slice(0, 12).join(', ')}, …` : names.join(', ') || 'none';
  io.output.write(
    `\n${c.bold('runbook console')} ${c.dim(`· ${result.path} ${result.status}`)}\n` +
      `${c.dim(`The doc’s context is live. Its names: ${shown}; and container, ui, fs, networking, proc, z.`)}\n` +
      `${c.dim('.blocks lists the doc’s blocks, .run N runs block N again, .exit (or Ctrl-D) ends and cleans up.')}\n`,
  );
}

// Inputs go to the doc's process; values come back already inspected there.
function startRepl({ session, io, c, mask }: ConsoleState, docPath: string, flushOutput: () => void): repl.REPLServer {
  return repl.start({
    prompt: `${basename(docPath, '.md')}> `,
    input: io.input,
    output: io.output,
    terminal: Boolean(io.output.isTTY),
    useColors: c.isColorSupported,
    ignoreUndefined: true,
    preview: false,
    completer: (line: string, callback: (error: Error | null, result: [string[], string]) => void) => {
      session.complete(line).then((found) => callback(null, found), () => callback(null, [[], line]));
    },
    eval: (code, _context, _file, callback) => {
      if (!code.trim()) return callback(null, undefined);
      session.evaluate(code.replace(/\n$/, ''), c.isColorSupported).then(
        (outcome) => {
          if (outcome.incomplete) return callback(new repl.Recoverable(new Error(outcome.error?.message ?? 'incomplete input')), undefined);
          flushOutput();
          if (outcome.error) {
            maskError(outcome.error, mask);
            io.output.write(`${formatError(outcome.error, c)}\n`);
          }
          callback(null, outcome.value === undefined ? undefined : mask(outcome.value));
        },
        (error: unknown) => {
          io.output.write(`${c.red(String((error as Error)?.message ?? error))}\n`);
          callback(null, undefined);
        },
      );
    },
    writer: (value: unknown) => String(value),
  });
}

function defineBlockCommands(server: repl.REPLServer, { session, io, c, statuses, mask }: ConsoleState, flushOutput: () => void): void {
  server.defineCommand('blocks', {
    help: 'List the doc’s blocks with the number .run takes',
    action() {
      io.output.write(`${blockTable(session, statuses, c)}\n`);
      this.displayPrompt();
    },
  });
  server.defineCommand('run', {
    help: 'Run block N of the doc again, in this context (.run 2)',
    action(argument: string) {
      const number = Number(argument.trim());
      const block = session.runnable.find((candidate) => candidate.number === number);
      if (!block) {
        const known = session.runnable.map((candidate) => candidate.number).join(', ');
        io.output.write(`${c.red(`No runnable block ${JSON.stringify(argument.trim())}.`)} Give one of: ${known} (see .blocks).\n`);
        this.displayPrompt();
        return;
      }
      io.output.write(`${c.dim(`┌ block ${number} · ${block.lang} · line ${block.fenceLine}`)}\n${highlight(block.source, block.lang, c).split('\n').map((line) => `${c.dim('│')} ${line}`).join('\n')}\n${c.dim('└')}\n`);
      session.runBlock(block.index).then(
        (outcome) => {
          statuses.set(block.index, outcome.status);
          flushOutput();
          io.output.write(`${showBlockResult(maskBlock(outcome, mask), c)}\n`);
          this.displayPrompt();
        },
        (error: unknown) => {
          io.output.write(`${c.red(String((error as Error)?.message ?? error))}\n`);
          this.displayPrompt();
        },
      );
    },
  });
}

// The doc's container is disposed only once the REPL is closed.
function disposeOnExit(server: repl.REPLServer, { session, io, c }: ConsoleState): Promise<{ cleanedUp: string[]; warnings: string[] }> {
  return new Promise((done) => {
    server.on('exit', () => {
      void session.dispose().then((cleanup) => {
        const cleaned = cleanup.cleanedUp.length ? `cleaned up: ${cleanup.cleanedUp.join(', ')}` : 'nothing left to clean up';
        io.output.write(`${c.dim(`console closed; ${cleaned}`)}\n`);
        for (const warning of cleanup.warnings) io.output.write(`${c.yellow(`warning: ${warning}`)}\n`);
        done(cleanup);
      });
    });
  });
}

/**
 * A REPL in the doc's own context, after the doc ran: its variables, features
 * and servers are all there. Inputs are compiled like blocks (TypeScript,
 * top-level await, declarations that persist). `.blocks` lists the doc's
 * blocks, `.run N` runs block N again. Resolves when the REPL is closed, after
 * the doc's container was disposed.
 */
export function openConsole(session: DocSession, result: DocResult, io: ConsoleIo): Promise<{ cleanedUp: string[]; warnings: string[] }> {
  const c = colorsFor(io.output);
  const mask = secretMasker(session.env);
  const state: ConsoleState = { session, mask, io, c, statuses: new Map(result.blocks.map((block) => [block.index, block.status])) };
  // Output is masked as it streams: a secret split across two chunks is held back until it is whole.
  const streams = { stdout: secretStreamMasker(session.env), stderr: secretStreamMasker(session.env) };
  const flushOutput = () => io.output.write(streams.stdout.flush() + streams.stderr.flush());
  session.setOutput((stream, _index, text) => io.output.write(streams[stream].push(text)));
  session.setFaultListener((report, origin) => {
    maskError(report, mask);
    io.output.write(`\n${c.red(`${origin} in the doc:`)}\n${indent(formatError(report, c), '  ')}\n`);
  });
  greet(state, result);
  const server = startRepl(state, result.path, flushOutput);
  defineBlockCommands(server, state, flushOutput);
  return disposeOnExit(server, state);
}
