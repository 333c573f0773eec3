import * as z from 'zod';
import { listDoc } from '../runner/doc-listing.js';
import { colorsFor } from '../runner/reporters/format.js';
import { evalModes } from '../runner/run-options.js';
import { defaultDocs, loadCliConfig } from './config.js';
import { expandPaths } from './expand-paths.js';
import { listHelp } from './help.js';
import { listTable, listWidth } from './list-table.js';
import { parseCommandArgs, usageError } from './usage-error.js';

const flags = {
  json: { type: 'boolean' },
  'eval-mode': { type: 'string' },
  config: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** `runbook list …`: prints each doc with its blocks and last stamp; returns the exit code. */
export async function listCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs('list', { args: argv, options: flags });
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
  else process.stdout.write(listTable(docs, colorsFor(process.stdout), listWidth(process.stdout)));
  return docs.some((doc) => doc.error) ? 1 : 0;
}
