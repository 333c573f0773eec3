import { parseArgs } from 'node:util';
import * as z from 'zod';
import { listDoc, type DocListing } from '../runner/doc-listing.js';
import { colorsFor, type Colors } from '../runner/reporters/format.js';
import { evalModes } from '../runner/run-options.js';
import { defaultDocs, loadCliConfig } from './config.js';
import { expandPaths } from './expand-paths.js';
import { listHelp } from './help.js';
import { explainArgsError, usageError } from './usage-error.js';

const flags = {
  json: { type: 'boolean' },
  'eval-mode': { type: 'string' },
  config: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

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
  // eslint-disable-next-line no-control-regex
  const visible = text.replace(/\u001b\[[\d;]*m/g, '').length;
  return text + ' '.repeat(Math.max(width - visible, 0));
}

/** The docs as an aligned table, one row per doc, problems under it. */
export function listTable(docs: DocListing[], c: Colors): string {
  const header = ['DOC', 'TITLE', 'TAGS', 'BLOCKS', 'WOULD RUN', 'LAST TESTED'];
  const rows = docs.map((doc) => [doc.path, doc.title, doc.tags.join(', ') || '-', String(doc.blocks.length), wouldRun(doc), stampCell(doc, c)]);
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => pad(row[column]!, 0).replace(/\u001b\[[\d;]*m/g, '').length)));
  const line = (cells: string[]) => cells.map((cell, column) => (column === cells.length - 1 ? cell : pad(cell, widths[column]!))).join('  ');
  const out = [c.bold(line(header))];
  docs.forEach((doc, index) => {
    out.push(line(rows[index]!));
    if (doc.error) out.push(c.red(`  ${doc.error}`));
  });
  return `${out.join('\n')}\n`;
}

/** `runbook list …`: prints each doc with its blocks and last stamp; returns the exit code. */
export async function listCommand(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options: flags, allowPositionals: true, strict: true } as const);
  } catch (error) {
    throw explainArgsError(error, Object.keys(flags), 'list');
  }
  const { values, positionals } = parsed;
  if (values.help) {
    process.stdout.write(listHelp);
    return 0;
  }
  const mode = z.enum(evalModes).optional().safeParse(values['eval-mode']);
  if (!mode.success) throw usageError(`--eval-mode ${JSON.stringify(values['eval-mode'])} is not an eval mode; use one of ${evalModes.join(', ')}.`);
  const config = await loadCliConfig(values.config);
  const files = positionals.length ? await expandPaths(positionals) : await defaultDocs(config, 'list');
  const docs = files.map((file) => listDoc(file, { evalMode: mode.data ?? config?.config.evalMode }));
  if (values.json) process.stdout.write(`${JSON.stringify(docs, null, 2)}\n`);
  else process.stdout.write(listTable(docs, colorsFor(process.stdout)));
  return docs.some((doc) => doc.error) ? 1 : 0;
}
