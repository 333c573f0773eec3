import { readFileSync } from 'node:fs';
import { parseArgs, parseEnv } from 'node:util';
import { z } from 'zod';
import { describeZodIssues } from '../container/options.js';
import type { RunEvents } from '../runner/events.js';
import { combineReporters, createReporter, reporterNames, type ReporterName } from '../runner/reporters/index.js';
import { runDocs } from '../runner/run.js';
import { evalModes, llmModes, runOptionsSchema, type RunOptions } from '../runner/run-options.js';
import { expandPaths } from './expand-paths.js';
import { selectReporters } from './reporter-selection.js';
import { runHelp } from './help.js';
import { explainArgsError, usageError } from './usage-error.js';

const flags = {
  timeout: { type: 'string' },
  'eval-mode': { type: 'string' },
  'only-sections': { type: 'string' },
  reporter: { type: 'string', multiple: true },
  'output-file': { type: 'string', multiple: true },
  update: { type: 'boolean' },
  stamp: { type: 'boolean', default: true },
  'no-stamp': { type: 'boolean' },
  bail: { type: 'boolean' },
  llm: { type: 'string' },
  'env-file': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

const cliSchema = z.object({
  timeout: z.coerce.number().int().positive().optional(),
  'eval-mode': z.enum(evalModes).optional(),
  llm: z.enum(llmModes).optional(),
  reporter: z.array(z.enum(reporterNames)).optional(),
});

function loadEnvFile(path: string): Record<string, string> {
  try {
    return parseEnv(readFileSync(path, 'utf8')) as Record<string, string>;
  } catch (error) {
    throw usageError(`Cannot read --env-file ${path}: ${(error as Error).message}.`);
  }
}

/** `runbook run …`: returns the exit code. */
export async function runCommand(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options: flags, allowPositionals: true, strict: true, allowNegative: true } as const);
  } catch (error) {
    throw explainArgsError(error, Object.keys(flags), 'run');
  }
  const { values, positionals } = parsed;
  if (values.help) {
    process.stdout.write(runHelp);
    return 0;
  }
  const checked = cliSchema.safeParse(values);
  if (!checked.success) {
    const lines = describeZodIssues(checked.error, values).map((line) => line.replace(/^'([^'.]+)(?:\.\d+)?'/, '--$1'));
    throw usageError(`${lines.join('; ')}. Run 'runbook run --help'.`);
  }
  const cli = checked.data;
  const files = await expandPaths(positionals);
  const options: RunOptions = runOptionsSchema.parse({
    timeout: cli.timeout,
    evalMode: cli['eval-mode'],
    onlySections: values['only-sections']?.split(',').map((s) => s.trim()).filter(Boolean),
    update: values.update ?? false,
    stamp: values.stamp !== false && !values['no-stamp'],
    llm: cli.llm,
    bail: values.bail ?? false,
    env: values['env-file'] ? loadEnvFile(values['env-file']) : {},
  });

  const names: ReporterName[] = cli.reporter ?? [files.length === 1 && process.stdout.isTTY ? 'literate' : 'pretty'];
  const reporters: RunEvents[] = selectReporters(names, values['output-file'] ?? []).map(({ name, file }) => createReporter(name, file));
  const run = await runDocs(files, options, combineReporters(reporters));
  return run.failed > 0 ? 1 : 0;
}
