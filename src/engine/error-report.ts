import { readFileSync } from 'node:fs';
import { isAbsolute, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { inspect } from 'node:util';
import { messageOf } from '../errors.js';
import { codeFrame } from './code-frame.js';
import type { CompiledBlock, DocPosition } from './compiled-block.js';
import type { ThrowSite } from './runtime.js';
import type { FilePosition } from './ts-files.js';
import { typeScriptPosition } from './ts-imports.js';

/** An error as reports show it: message, Markdown location, code frame, mapped stack. */
export interface ErrorReport {
  message: string;
  name?: string;
  code?: string;
  /** `path/to/doc.md:LINE:COL`, or `path/to/helper.ts:LINE:COL` for an error inside a local TypeScript import */
  location?: string;
  /** The file `location`, `line` and `column` are in, when it is not the doc: a local TypeScript import. */
  file?: string;
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
// `at fn (file:///x/helper.ts:3:9)`, `at file:///x/helper.ts:3:9`, `at /x/helper.cts:3:9`
const fileFramePattern = /^at (?:(.*?) \()?((?:file:\/\/|\/)[^()]*?):(\d+):(\d+)\)?$/;

/** A path as the reports show it: relative to the working folder when inside it. */
function displayFile(path: string): string {
  const shown = relative(process.cwd(), path);
  return shown.startsWith('..') || isAbsolute(shown) ? path : shown;
}

// A frame in a local TypeScript file the doc imported, mapped into the .ts source.
function typeScriptFrame(line: string): { fn?: string; position: FilePosition } | undefined {
  const match = fileFramePattern.exec(line);
  if (!match) return undefined;
  const [, fn, file, generatedLine, generatedColumn] = match;
  const found = typeScriptPosition(file!, Number(generatedLine), Number(generatedColumn));
  if (!found) return undefined;
  const path = file!.startsWith('file:') ? fileURLToPath(file!) : file!;
  return { fn, position: { file: path, ...found } };
}

function mapStack(stack: string, sources: ErrorSources): { frames: string[]; first?: DocPosition | FilePosition } {
  const frames: string[] = [];
  let first: DocPosition | FilePosition | undefined;
  for (const raw of stack.split('\n').slice(1)) {
    const line = raw.trim();
    if (!line.startsWith('at ')) continue;
    const match = framePattern.exec(line);
    const index = match && line.includes(sources.scriptPrefix) ? Number(match[1]) : -1;
    const compiled = sources.compiled.get(index);
    const inTypeScript = compiled ? undefined : typeScriptFrame(line);
    if (match && compiled) {
      const position = compiled.locate(Number(match[2]), Number(match[3]));
      first ??= position;
      const where = `${sources.displayPath}:${position.line}:${position.column}`;
      const fn = line.slice(3, line.indexOf(' (')).trim();
      // A block runs as eval code (run-block.ts): its top level shows as `eval`, which is no name of the doc's.
      const named = line.includes(' (') && !fn.startsWith(sources.scriptPrefix) && fn !== 'eval';
      frames.push(named ? `at ${fn} (${where})` : `at ${where}`);
    } else if (inTypeScript) {
      const { fn, position } = inTypeScript;
      first ??= position;
      const where = `${displayFile(position.file)}:${position.line}:${position.column}`;
      frames.push(fn ? `at ${fn} (${where})` : `at ${where}`);
    } else if (!/\(node:|at node:|\/dist\/|\/src\/(engine|runner|cli)\/|^at eval \(<anonymous>\)$/.test(line)) {
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
  let position: DocPosition | FilePosition | undefined = isObject ? (error as { filePosition?: FilePosition; position?: DocPosition }).filePosition ?? (error as { position?: DocPosition }).position : undefined;
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
  if (position && 'file' in position) locateInFile(report, position);
  else if (position) {
    report.line = position.line;
    report.column = position.column;
    report.location = `${sources.displayPath}:${position.line}:${position.column}`;
    report.frame = codeFrame(sources.text, position.line, position.column);
  }
  return report;
}

function locateInFile(report: ErrorReport, { file, line, column }: FilePosition): void {
  report.file = displayFile(file);
  report.line = line;
  report.column = column;
  report.location = `${report.file}:${line}:${column}`;
  try {
    report.frame = codeFrame(readFileSync(file, 'utf8'), line, column);
  } catch {
    // Gone since it was imported: the location still says where.
  }
}
