import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import * as z from 'zod';
import { installInterruptHandlers, whileRunning } from '../runner/interrupt.js';
import { runOptionsSchema, timeoutSchema } from '../runner/run-options.js';
import { loadCliConfig, stampSetting } from './config.js';
import { expandPaths } from './expand-paths.js';
import { openHelp } from './help.js';
import { preflight } from './preflight.js';
import { parseCommandArgs, usageError } from './usage-error.js';

const flags = {
  port: { type: 'string' },
  host: { type: 'string' },
  browser: { type: 'boolean', default: true },
  'no-browser': { type: 'boolean' },
  stamp: { type: 'boolean' },
  'no-stamp': { type: 'boolean' },
  timeout: { type: 'string' },
  config: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

const cliSchema = z.object({
  port: z.coerce.number().int('expected a whole number').min(0).max(65_535).default(0),
  host: z.string().min(1, 'expected an interface, e.g. 127.0.0.1').default('127.0.0.1'),
  timeout: z.coerce.number().pipe(timeoutSchema()).optional(),
});

// Best effort: a machine without a desktop has no opener, and the URL is printed anyway.
function openBrowser(url: string): void {
  const opener = process.platform === 'darwin' ? 'open' : process.platform === 'win32' ? 'explorer' : 'xdg-open';
  try {
    const child = spawn(opener, [url], { detached: true, stdio: 'ignore' });
    child.on('error', () => {});
    child.unref();
  } catch {
    // No opener: the user opens the printed URL.
  }
}

async function parseOpenArgs(argv: string[]) {
  const { values, positionals } = parseCommandArgs('open', { args: argv, options: flags, allowNegative: true });
  if (values.help) return undefined;
  const checked = cliSchema.safeParse(values);
  if (!checked.success) {
    const issue = checked.error.issues[0]!;
    const flag = String(issue.path[0]);
    throw usageError(`--${flag} ${JSON.stringify((values as Record<string, unknown>)[flag])}: ${issue.message}. Run 'runbook open --help'.`);
  }
  if (positionals.length !== 1) {
    throw usageError(`runbook open takes one doc, got ${positionals.length ? positionals.map((p) => JSON.stringify(p)).join(', ') : 'none'}. Name one Markdown file: runbook open docs/guide.md`);
  }
  const files = await expandPaths(positionals);
  if (files.length !== 1) throw usageError(`runbook open takes one doc, but ${JSON.stringify(positionals[0])} matched ${files.length}. Name one Markdown file.`);
  return { values, cli: checked.data, path: files[0]! };
}

/** `runbook open <doc.md>`: serves the doc as a notebook until Ctrl-C or SIGTERM. */
export async function openCommand(argv: string[]): Promise<number> {
  const args = await parseOpenArgs(argv);
  if (!args) {
    process.stdout.write(openHelp);
    return 0;
  }
  const { values, cli, path } = args;
  const config = await loadCliConfig(values.config);
  const settings = config?.config ?? {};
  const options = runOptionsSchema.parse({
    timeout: cli.timeout ?? settings.timeout,
    evalMode: settings.evalMode,
    llm: settings.llm,
    stamp: stampSetting(values, settings),
    docTimeout: settings.docTimeout,
    configFile: config?.path,
    maxDocSize: settings.maxDocSize,
  });
  await preflight({ files: [path], outputFiles: [], onlySections: undefined, maxDocSize: options.maxDocSize });
  const [{ NotebookKernel }, { startNotebookServer }, { watchDocFile }] = await Promise.all([
    import('../runner/notebook/notebook-kernel.js'),
    import('../servers/notebook/notebook-server.js'),
    import('../runner/notebook/doc-file-watch.js'),
  ]);
  let broadcast: (message: Parameters<typeof server.broadcast>[0]) => void = () => {};
  const kernel = new NotebookKernel(path, options, (message) => broadcast(message));
  const server = await startNotebookServer({ host: cli.host, port: cli.port, token: randomBytes(24).toString('base64url'), title: path }, kernel);
  broadcast = server.broadcast;
  const stopWatching = watchDocFile(resolve(path), () => kernel.reload());
  installInterruptHandlers(5000, () => process.stderr.write('\nrunbook notebook: closing the doc\n'));
  whileRunning(async () => {
    stopWatching();
    await kernel.close();
    await server.close();
  });
  // The first line is the contract: tools (and tests) read the URL from it.
  const shown = ['0.0.0.0', '::'].includes(cli.host) ? server.url.replace(/\/\/[^/]+\//, `//127.0.0.1:${server.port}/`) : server.url;
  process.stdout.write(`runbook notebook: ${shown}\n`);
  process.stderr.write(`Serving ${path} until Ctrl-C. Nothing runs until you press a run button.\n`);
  if (values.browser !== false && !values['no-browser']) openBrowser(shown);
  await kernel.start();
  return new Promise<number>(() => {});
}
