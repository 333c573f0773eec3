import { createContainer } from '../../features/create-container.js';
import type { BlockEnd, BlockOutput, BlockStart, DocStart, RunEvents } from '../events.js';
import type { DocResult, RunResult } from '../results.js';
import { colorsFor, formatDuration, formatError, indent, runCounts, type Colors } from './format.js';
import { highlight } from '../highlight.js';

type Renderer = (markdown: string) => string;

// The ui feature renders Markdown for terminals; plain text when it is not there.
function defaultRenderer(): Renderer {
  const container = createContainer();
  if (!container.has('ui')) return (text) => text;
  const ui = container.feature('ui') as unknown as { markdown(text: string): string };
  return (text) => ui.markdown(text);
}

/**
 * Shows the doc as it runs: prose rendered for the terminal, each block's code,
 * its output as it is printed, and its value or error.
 */
export class LiterateReporter implements RunEvents {
  readonly #out: NodeJS.WriteStream;
  readonly #c: Colors;
  readonly #render: Renderer;
  #doc: DocStart | undefined;
  #cursor = 0;
  #shown = new Set<number>();
  #midLine = false;

  constructor(out: NodeJS.WriteStream = process.stdout, render?: Renderer) {
    this.#out = out;
    this.#c = colorsFor(out);
    this.#render = render ?? defaultRenderer();
  }

  onDocStart(doc: DocStart): void {
    this.#doc = doc;
    this.#cursor = doc.text.charCodeAt(0) === 0xfeff ? 1 : 0;
    this.#shown.clear();
    const frontmatter = /^---\r?\n[\s\S]*?\r?\n(?:---|\.\.\.)[ \t]*(?:\r?\n|$)/.exec(doc.text.slice(this.#cursor));
    if (frontmatter) this.#cursor += frontmatter[0].length;
  }

  onBlockStart({ index }: BlockStart): void {
    this.#showBlock(index);
  }

  onBlockOutput({ stream, text }: BlockOutput): void {
    const bar = stream === 'stderr' ? this.#c.red('│ ') : this.#c.dim('│ ');
    const lines = text.split('\n');
    const out = lines.map((line, i) => (i === 0 && this.#midLine ? line : i === lines.length - 1 && line === '' ? '' : bar + line)).join('\n');
    this.#midLine = !text.endsWith('\n');
    this.#out.write(out);
  }

  onBlockEnd({ result: block }: BlockEnd): void {
    const c = this.#c;
    this.#showBlock(block.index);
    if (this.#midLine) this.#out.write('\n');
    this.#midLine = false;
    const lines: string[] = [];
    if (block.value !== undefined) lines.push(`${c.cyan('→')} ${block.value}`);
    if (block.status === 'passed') lines.push(c.green(`✓ ${formatDuration(block.durationMs)}`));
    else if (block.status === 'skipped' || block.status === 'not-run') lines.push(c.yellow(`○ ${block.status === 'skipped' ? 'skipped' : 'not run'}: ${block.reason ?? ''}`));
    else if (block.error) lines.push(indent(formatError(block.error, c), '  '));
    this.#out.write(`${lines.join('\n')}\n`);
  }

  onDocEnd(doc: DocResult): void {
    const c = this.#c;
    if (this.#doc) this.#prose(this.#doc.text.length);
    const lines: string[] = [];
    if (doc.status === 'skipped') lines.push(c.yellow(`SKIP ${doc.path}: ${doc.skipReason ?? ''}`));
    if (doc.status === 'not-run') lines.push(c.yellow(`NOT RUN ${doc.path}: ${doc.skipReason ?? ''}`));
    if (doc.error) lines.push(formatError(doc.error, c));
    if (doc.cleanedUp.length) lines.push(c.dim(`cleaned up: ${doc.cleanedUp.join(', ')}`));
    for (const warning of doc.warnings) lines.push(c.yellow(`warning: ${warning}`));
    if (lines.length) this.#out.write(`${lines.join('\n')}\n`);
    this.#doc = undefined;
  }

  onRunEnd(run: RunResult): void {
    const counts = runCounts(run);
    this.#out.write(`\ndocs: ${run.failed ? this.#c.red(counts) : this.#c.green(counts)}\n`);
  }

  #prose(until: number): void {
    const doc = this.#doc!;
    const text = doc.text.slice(this.#cursor, until);
    this.#cursor = Math.max(this.#cursor, until);
    if (text.trim()) this.#out.write(`${this.#render(text).replace(/\n+$/, '')}\n\n`);
  }

  #showBlock(index: number): void {
    const doc = this.#doc;
    if (!doc || this.#shown.has(index)) return;
    this.#shown.add(index);
    const block = doc.blocks.find((b) => b.index === index);
    if (!block) return;
    this.#prose(block.start);
    const c = this.#c;
    const fenced = doc.text.slice(block.start, block.end).split(/\r?\n/);
    const code = fenced.slice(1, -1);
    const label = block.number === undefined ? '' : `block ${block.number} · `;
    this.#out.write(`${c.dim(`┌ ${label}${block.lang} · line ${block.line}`)}\n${highlight(code.join('\n'), block.lang, c).split('\n').map((line) => `${c.dim('│')} ${line}`).join('\n')}\n${c.dim('└')}\n`);
    this.#cursor = Math.max(this.#cursor, block.end);
  }
}
