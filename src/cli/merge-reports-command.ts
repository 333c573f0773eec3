import * as z from 'zod';
import { hasCode, messageOf } from '../errors.js';
import { mergeRuns } from '../runner/merge/merge-runs.js';
import { readReport } from '../runner/merge/read-report.js';
import { replayRun } from '../runner/merge/replay-run.js';
import { reportSchemaVersion } from '../runner/reporters/json.js';
import { combineReporters, createReporter, reporterNames, type ReporterName } from '../runner/reporters/index.js';
import type { RunResult } from '../runner/results.js';
import { mergeReportsHelp } from './help.js';
import { checkOutputFile } from './preflight.js';
import { selectReporters } from './reporter-selection.js';
import { flagValuesError, parseCommandArgs, usageError } from './usage-error.js';

const flags = {
  reporter: { type: 'string', multiple: true },
  'output-file': { type: 'string', multiple: true },
  help: { type: 'boolean', short: 'h' },
} as const;

// literate shows each doc's prose and code as it runs; a report holds results, not the docs' text.
const needsTheDocs: readonly ReporterName[] = ['literate'];
const mergeable = reporterNames.filter((name) => !needsTheDocs.includes(name));

const cliSchema = z.object({ reporter: z.array(z.enum(mergeable)).optional() });

// Every report is read and checked before any reporter exists, so a bad file stops the merge before any output.
function mergeFiles(files: string[]): RunResult {
  try {
    return mergeRuns(files.map((file) => ({ file, report: readReport(file) })));
  } catch (error) {
    if (hasCode(error, 'RUNBOOK_BAD_REPORT')) throw usageError(messageOf(error));
    throw error;
  }
}

/** merge-reports' help, naming the reporters it can render and the report version it reads. */
export function mergeReportsHelpText(): string {
  return mergeReportsHelp(mergeable, reportSchemaVersion);
}

/** `runbook merge-reports …`: the shards' JSON reports as one report of any kind; returns the exit code. */
export async function mergeReportsCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs('merge-reports', { args: argv, options: flags });
  if (values.help) {
    process.stdout.write(mergeReportsHelpText());
    return 0;
  }
  const live = values.reporter?.find((name) => (needsTheDocs as string[]).includes(name));
  if (live) throw usageError(`--reporter ${live} shows docs as they run, and a JSON report holds only their results. Choose one of ${mergeable.join(', ')}.`);
  const checked = cliSchema.safeParse(values);
  if (!checked.success) throw flagValuesError(checked.error, values, 'merge-reports');
  if (positionals.length === 0) {
    throw usageError("No reports given. Name the shards' JSON reports, e.g. runbook merge-reports reports/*.json (each written by runbook run --shard i/n --reporter json --output-file <file>).");
  }
  const choices = selectReporters(checked.data.reporter ?? ['pretty'], values['output-file'] ?? []);
  const run = mergeFiles(positionals);
  for (const { file } of choices) if (file) checkOutputFile(file);
  await replayRun(run, combineReporters(choices.map(({ name, file }) => createReporter(name, file))));
  return run.failed > 0 ? 1 : 0;
}
