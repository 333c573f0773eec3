import type { DocListing } from '../runner/doc-listing.js';
import type { Colors } from '../runner/reporters/format.js';

// eslint-disable-next-line no-control-regex
const colourCode = /\u001b\[[\d;]*m/g;
const visibleLength = (text: string) => text.replace(colourCode, '').length;

/** How wide `runbook list` may print: the terminal's width, else 80 columns (a pipe, a file, a CI log). */
export function listWidth(out: Pick<NodeJS.WriteStream, 'isTTY' | 'columns'>): number {
  return out.isTTY && out.columns > 0 ? out.columns : 80;
}

function wouldRun(doc: DocListing): string {
  if (doc.error) return 'unreadable';
  if (doc.skip) return `none (skip: ${doc.skip})`;
  const running = doc.blocks.filter((block) => block.runs);
  if (doc.blocks.length === 0) return '-';
  if (running.length === doc.blocks.length) return `all ${running.length}`;
  if (running.length === 0) return `none (${doc.blocks[0]!.reason})`;
  return `${running.length} of ${doc.blocks.length}: ${running.map((block) => block.number).join(', ')}`;
}

function stampCell(doc: DocListing, c: Colors): string {
  if (!doc.lastTested) return c.dim('never');
  const when = doc.lastTested.replace('T', ' ').replace(/:\d\d(\.\d+)?Z$/, 'Z');
  return `${when} ${doc.lastTestPassed === true ? c.green('pass') : doc.lastTestPassed === false ? c.red('fail') : c.dim('?')}`;
}

// Pads by visible width: colour codes take no room on screen.
function pad(text: string, width: number): string {
  return text + ' '.repeat(Math.max(width - visibleLength(text), 0));
}

/**
 * Breaks text into lines of at most `width` visible characters at spaces, the
 * lines after the first indented by `indent`; a word longer than a line is cut.
 */
export function wrap(text: string, width: number, indent = ''): string[] {
  const lines: string[] = [];
  let line = '';
  for (let word of text.split(' ')) {
    const room = () => Math.max(1, width - (lines.length ? indent.length : 0));
    if (line && visibleLength(line) + 1 + visibleLength(word) > room()) {
      lines.push(line);
      line = '';
    }
    // Only plain words are cut: a cut could split a colour code.
    while (visibleLength(word) > room() && !word.includes('\u001b[')) {
      const cut = room();
      lines.push(word.slice(0, cut));
      word = word.slice(cut);
    }
    line = line ? `${line} ${word}` : word;
  }
  lines.push(line);
  return lines.map((text, index) => (index ? indent + text : text));
}

const header = ['DOC', 'TITLE', 'TAGS', 'BLOCKS', 'WOULD RUN', 'LAST TESTED'];

function row(doc: DocListing, c: Colors): string[] {
  return [doc.path, doc.title, doc.tags.join(', ') || '-', String(doc.blocks.length), wouldRun(doc), stampCell(doc, c)];
}

// One row per doc, columns aligned; undefined when the widest row does not fit.
function table(docs: DocListing[], c: Colors, width: number): string[] | undefined {
  const rows = docs.map((doc) => row(doc, c));
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((cells) => visibleLength(cells[column]!))));
  const gaps = 2 * (header.length - 1);
  if (widths.reduce((sum, w) => sum + w, gaps) > width) return undefined;
  const line = (cells: string[]) => cells.map((cell, column) => (column === cells.length - 1 ? cell : pad(cell, widths[column]!))).join('  ');
  const out = [c.bold(line(header))];
  docs.forEach((doc, index) => {
    out.push(line(rows[index]!));
    if (doc.error) out.push(...wrap(doc.error, width - 2, '  ').map((text) => c.red(`  ${text}`)));
  });
  return out;
}

// A few lines per doc, each wrapped to the width: for paths and titles too long for a table row.
function stacked(docs: DocListing[], c: Colors, width: number): string[] {
  const out: string[] = [];
  for (const doc of docs) {
    const about = [doc.title, ...(doc.tags.length ? [`tags: ${doc.tags.join(', ')}`] : [])].join(' · ');
    const blocks = `${doc.blocks.length} block${doc.blocks.length === 1 ? '' : 's'} · would run: ${wouldRun(doc)} · last tested: ${stampCell(doc, c)}`;
    out.push(...wrap(doc.path, width).map((text) => c.bold(text)));
    for (const text of [about, blocks]) out.push(...wrap(text, width - 2, '    ').map((line) => `  ${line}`));
    if (doc.error) out.push(...wrap(doc.error, width - 2, '  ').map((text) => c.red(`  ${text}`)));
  }
  return out;
}

/**
 * The docs `runbook list` shows, in `width` columns: a table with a row per
 * doc when it fits, else a few wrapped lines per doc. Problems under the doc.
 */
export function listTable(docs: DocListing[], c: Colors, width: number): string {
  return `${(table(docs, c, width) ?? stacked(docs, c, width)).join('\n')}\n`;
}
