import { inspect } from 'node:util';
import { messageOf } from '../errors.js';
import { codeFrame } from './code-frame.js';
import type { CompiledBlock, DocPosition } from './compiled-block.js';
import type { ThrowSite } from './runtime.js';

/** An error as reports show it: message, Markdown location, code frame, mapped stack. */
export interface ErrorReport {
  message: string;
  name?: string;
  code?: string;
  /** `path/to/doc.md:LINE:COL` */
  location?: string;
  line?: number;
  column?: number;
  frame?: string;
  stack?: string;
  /** Expected vs actual output, for output mismatches. */
  diff?: string;
}

export interface ErrorSources {
  /** The doc path as shown to the user. */
  displayPath: string;
  text: string;
  /** Filename prefix of this doc's block scripts (see blockFilename). */
  scriptPrefix: string;
  compiled: Map<number, CompiledBlock>;
  /** Lines of the block that was running, to bound the code frame. */
  block?: { line: number; lastLine: number };
  lastThrow?: ThrowSite;
}

export function blockFilename(scriptPrefix: string, index: number): string {
  return `${scriptPrefix}#block${index}`;
}

const framePattern = /#block(\d+):(\d+):(\d+)\)?$/;

function mapStack(stack: string, sources: ErrorSources): { frames: string[]; first?: DocPosition } {
  const frames: string[] = [];
  let first: DocPosition | undefined;
  for (const raw of stack.split('\n').slice(1)) {
    const line = raw.trim();
    if (!line.startsWith('at ')) continue;
    const match = framePattern.exec(line);
    const index = match && line.includes(sources.scriptPrefix) ? Number(match[1]) : -1;
    const compiled = sources.compiled.get(index);
    if (match && compiled) {
      const position = compiled.locate(Number(match[2]), Number(match[3]));
      first ??= position;
      const where = `${sources.displayPath}:${position.line}:${position.column}`;
      const fn = line.slice(3, line.indexOf(' (')).trim();
      frames.push(line.includes(' (') && !fn.startsWith(sources.scriptPrefix) ? `at ${fn} (${where})` : `at ${where}`);
    } else if (!/\(node:|at node:|\/dist\/|\/src\/(engine|runner|cli)\//.test(line)) {
      frames.push(line);
    }
  }
  // A stack with no frame in the doc is the runner's or a library's business, not the reader's.
  return { frames: first ? frames : [], first };
}

// A doc may have set an Error.prepareStackTrace that throws: the error itself still deserves a report.
function readStack(error: object): unknown {
  try {
    return (error as { stack?: unknown }).stack;
  } catch {
    return undefined;
  }
}

/** Turns anything a block threw into a report pointing at the Markdown file. */
export function reportError(error: unknown, sources: ErrorSources): ErrorReport {
  const isObject = typeof error === 'object' && error !== null;
  const report: ErrorReport = {
    message: isObject && 'message' in error ? messageOf(error) : `threw a non-Error value: ${inspect(error)}`,
  };
  if (isObject) {
    const { name, code } = error as { name?: unknown; code?: unknown };
    if (typeof name === 'string' && name !== 'Error') report.name = name;
    if (typeof code === 'string') report.code = code;
  }
  let position = isObject ? (error as { position?: DocPosition }).position : undefined;
  const stack = isObject ? readStack(error) : undefined;
  if (!position && typeof stack === 'string') {
    const mapped = mapStack(stack, sources);
    position = mapped.first;
    if (mapped.frames.length) report.stack = mapped.frames.join('\n');
  }
  if (!position && sources.lastThrow && Object.is(sources.lastThrow.value, error)) {
    position = sources.compiled.get(sources.lastThrow.blockIndex)?.locateTranspiledOffset(sources.lastThrow.offset);
  }
  if (!position && sources.block) position = { line: sources.block.line, column: 1 };
  if (position) {
    report.line = position.line;
    report.column = position.column;
    report.location = `${sources.displayPath}:${position.line}:${position.column}`;
    report.frame = codeFrame(sources.text, position.line, position.column);
  }
  return report;
}
