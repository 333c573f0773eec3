import { readFileSync } from 'node:fs';
import { parseEnv } from 'node:util';
import * as z from 'zod';
import { pruneCachesDaily } from '../engine/cache-prune.js';
import { combineReporters, reporterNames, type ReporterName } from '../runner/reporters/index.js';
import { installInterruptHandlers } from '../runner/interrupt.js';
import { runDocs } from '../runner/run.js';
import { selectDocs } from '../runner/select.js';
import { evalModes, jobsSchema, llmModes, runOptionsSchema, timeoutSchema, type RunOptions } from '../runner/run-options.js';
import { docSizeSchema } from '../runner/doc-size.js';
import { preflight } from './preflight.js';
import { expandPaths } from './expand-paths.js';
import { defaultDocs, loadCliConfig, stampSetting } from './config.js';
import { isInteractive, runInteractive } from './interactive.js';
import { selectReporters } from './reporter-selection.js';
import { createReporters } from './github-actions.js';
import { checkStdinRun, readStdinDoc, stdinDocName } from './stdin-doc.js';
import { runHelp } from './help.js';
import { flagValuesError, parseCommandArgs, usageError } from './usage-error.js';

const flags = {
  timeout: { type: 'string' },
  'eval-mode': { type: 'string' },
  'only-sections': { type: 'string' },
  reporter: { type: 'string', multiple: true },
  'output-file': { type: 'string', multiple: true },
  update: { type: 'boolean' },
  stamp: { type: 'boolean' },
  'no-stamp': { type: 'boolean' },
  bail: { type: 'boolean' },
  llm: { type: 'string' },
  'env-file': { type: 'string' },
  jobs: { type: 'string', short: 'j' },
  'doc-timeout': { type: 'string' },
  'max-doc-size': { type: 'string' },
  shard: { type: 'string' },
  tag: { type: 'string', multiple: true },
  filter: { type: 'string' },
  'strict-leaks': { type: 'boolean' },
  typecheck: { type: 'boolean' },
  'fail-on-skip': { type: 'boolean' },
  config: { type: 'string' },
  console: { type: 'boolean' },
  step: { type: 'boolean' },
  watch: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

const cliSchema = z.object({
  timeout: z.coerce.number().pipe(timeoutSchema()).optional(),
  'eval-mode': z.enum(evalModes).optional(),
  llm: z.enum(llmModes).optional(),
  reporter: z.array(z.enum(reporterNames)).optional(),
  jobs: z.coerce.number().pipe(jobsSchema()).optional(),
  'doc-timeout': z.coerce.number().pipe(timeoutSchema()).optional(),
  'max-doc-size': docSizeSchema().optional(),
  shard: z
    .string()
    .regex(/^\d+\/\d+$/, 'expected i/n, e.g. 2/4')
    .transform((text) => text.split('/').map(Number) as [number, number])
    .refine(([index, count]) => count >= 1 && index >= 1 && index <= count, 'expected i/n with 1 ≤ i ≤ n, e.g. 2/4')
    .optional(),
});

// Read by runbook, never by Node: bin/runbook.js starts Node with `--` so that Node 20 leaves the flag to us.
function loadEnvFile(path: string): Record<string, string> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw usageError(`--env-file ${path}: no such file (looked in ${process.cwd()}). Check the path.`);
    if (code === 'EISDIR') throw usageError(`--env-file ${path} is a folder. Name a .env file.`);
    throw usageError(`Cannot read --env-file ${path}: ${(error as Error).message}.`);
  }
  return parseEnv(text) as Record<string, string>;
}

/** How long a run waits past its end for the day's cache prune (see engine/cache-prune.ts). */
const pruneWaitMs = 1000;

/** `runbook run …`: returns the exit code. */
export async function runCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs('run', { args: argv, options: flags, allowNegative: true });
  if (values.help) {
    process.stdout.write(runHelp);
    return 0;
  }
  const checked = cliSchema.safeParse(values);
  if (!checked.success) throw flagValuesError(checked.error, values, 'run');
  const cli = checked.data;
  const fromStdin = positionals.includes('-');
  if (fromStdin) checkStdinRun(positionals, values);
  // Flags win over the config file, which wins over the defaults.
  const config = await loadCliConfig(values.config);
  const settings = config?.config ?? {};
  const expanded = fromStdin ? [stdinDocName] : positionals.length ? await expandPaths(positionals) : await defaultDocs(config, 'run');
  const shard = cli.shard ? { index: cli.shard[0], count: cli.shard[1] } : undefined;
  const files = await selectDocs(expanded, { shard, tags: values.tag, filter: values.filter });
  // An empty shard is normal (more shards than docs); a filter that matches nothing is a mistake.
  if ((values.tag?.length || values.filter) && (await selectDocs(expanded, { tags: values.tag, filter: values.filter })).length === 0) {
    const asked = [...(values.tag ?? []).map((tag) => `--tag ${tag}`), ...(values.filter ? [`--filter ${values.filter}`] : [])].join(' ');
    throw usageError(`No doc matched ${asked} among the ${expanded.length} doc${expanded.length === 1 ? '' : 's'} given. Check the tags in their frontmatter and the paths ('runbook list' shows both).`);
  }
  const options: RunOptions = runOptionsSchema.parse({
    timeout: cli.timeout ?? settings.timeout,
    evalMode: cli['eval-mode'] ?? settings.evalMode,
    onlySections: values['only-sections']?.split(',').map((s) => s.trim()).filter(Boolean),
    update: values.update ?? false,
    // A doc from stdin has no file to stamp.
    stamp: !fromStdin && stampSetting(values, settings),
    llm: cli.llm ?? settings.llm,
    bail: values.bail ?? false,
    env: values['env-file'] ? loadEnvFile(values['env-file']) : {},
    docTimeout: cli['doc-timeout'] ?? settings.docTimeout,
    configFile: config?.path,
    strictLeaks: values['strict-leaks'] ?? false,
    maxDocSize: cli['max-doc-size'] ?? settings.maxDocSize,
    typecheck: !fromStdin && (values.typecheck ?? settings.typecheck ?? false),
    failOnSkip: values['fail-on-skip'] ?? settings.failOnSkip ?? false,
  });
  const texts = new Map(fromStdin ? [[stdinDocName, await readStdinDoc(process.stdin, options.maxDocSize)]] : []);

  const names: ReporterName[] = cli.reporter ?? settings.reporters ?? [files.length === 1 && process.stdout.isTTY ? 'literate' : 'pretty'];
  const choices = selectReporters(names, values['output-file'] ?? []);
  await preflight({
    files,
    outputFiles: choices.flatMap(({ file }) => (file ? [file] : [])),
    onlySections: options.onlySections,
    maxDocSize: options.maxDocSize,
    texts,
  });
  const makeEvents = () => combineReporters(createReporters(choices));
  const interactive = { console: values.console, step: values.step, watch: values.watch };
  // Once a day, while the docs run; at most a second past their end.
  const stopPruning = new AbortController();
  const pruning = pruneCachesDaily(stopPruning.signal);
  try {
    if (isInteractive(interactive)) return await runInteractive(interactive, { files, options, reporters: names, makeEvents });
    installInterruptHandlers();
    const run = await runDocs(files, options, makeEvents(), { jobs: cli.jobs ?? settings.jobs, texts });
    return run.failed > 0 ? 1 : 0;
  } finally {
    await Promise.race([pruning, new Promise((resolve) => setTimeout(resolve, pruneWaitMs).unref())]);
    stopPruning.abort();
  }
}
