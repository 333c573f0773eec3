import * as z from 'zod';
import { hasCode, messageOf } from '../errors.js';
import { defaultMaxDocSize } from '../runner/doc-size.js';
import { combineReporters, reporterNames } from '../runner/reporters/index.js';
import { summarize, type DocResult } from '../runner/results.js';
import { reportCheck, typeCheckResult } from '../runner/typecheck/type-results.js';
import { typecheckDocs } from '../runner/typecheck/typecheck-docs.js';
import { defaultDocs, loadCliConfig } from './config.js';
import { expandPaths } from './expand-paths.js';
import { checkHelp } from './help.js';
import { preflight } from './preflight.js';
import { selectReporters } from './reporter-selection.js';
import { createReporters } from './github-actions.js';
import { flagValuesError, parseCommandArgs, usageError } from './usage-error.js';

const flags = {
  reporter: { type: 'string', multiple: true },
  'output-file': { type: 'string', multiple: true },
  config: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

const cliSchema = z.object({ reporter: z.array(z.enum(reporterNames)).optional() });

/** `runbook check …`: type-checks docs without running them; returns the exit code. */
export async function checkCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs('check', { args: argv, options: flags });
  if (values.help) {
    process.stdout.write(checkHelp);
    return 0;
  }
  const checked = cliSchema.safeParse(values);
  if (!checked.success) throw flagValuesError(checked.error, values, 'check');
  const config = await loadCliConfig(values.config);
  const files = positionals.length ? await expandPaths(positionals) : await defaultDocs(config, 'check');
  const choices = selectReporters(checked.data.reporter ?? config?.config.reporters ?? ['pretty'], values['output-file'] ?? []);
  await preflight({ files, outputFiles: choices.flatMap(({ file }) => (file ? [file] : [])), maxDocSize: config?.config.maxDocSize ?? defaultMaxDocSize });
  const started = performance.now();
  let checks;
  try {
    checks = typecheckDocs(files);
  } catch (error) {
    if (hasCode(error, 'RUNBOOK_NO_TYPESCRIPT')) throw usageError(messageOf(error));
    throw error;
  }
  const events = combineReporters(createReporters(choices));
  events.onRunStart(files);
  const results: DocResult[] = [];
  for (const check of checks) {
    const result = typeCheckResult(check, false);
    reportCheck(events, check, result);
    results.push(result);
  }
  const run = summarize(results, Math.round(performance.now() - started));
  await events.onRunEnd(run);
  return run.failed > 0 ? 1 : 0;
}
