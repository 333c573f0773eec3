import type { RunEvents } from '../events.js';
import { GithubReporter } from './github.js';
import { JsonReporter } from './json.js';
import { JunitReporter } from './junit.js';
import { LiterateReporter } from './literate.js';
import { PrettyReporter } from './pretty.js';
import { TapReporter } from './tap.js';

export const reporterNames = ['pretty', 'literate', 'json', 'junit', 'tap', 'github'] as const;
export type ReporterName = (typeof reporterNames)[number];

/** Reporters that produce one document (a file, or stdout when no file is given). */
export const fileReporterNames = ['json', 'junit', 'tap'] as const satisfies readonly ReporterName[];

/** Builds the named reporter; `outputFile` is where a machine-readable one writes. */
export function createReporter(name: ReporterName, outputFile?: string): RunEvents {
  switch (name) {
    case 'pretty':
      return new PrettyReporter();
    case 'literate':
      return new LiterateReporter();
    case 'json':
      return new JsonReporter(outputFile);
    case 'junit':
      return new JunitReporter(outputFile);
    case 'tap':
      return new TapReporter(outputFile);
    case 'github':
      return new GithubReporter();
  }
}

/** Fans every event out to several reporters. */
export function combineReporters(reporters: RunEvents[]): Required<RunEvents> {
  const fan =
    <K extends keyof RunEvents>(key: K) =>
    (...args: Parameters<NonNullable<RunEvents[K]>>) => {
      const pending: unknown[] = [];
      for (const reporter of reporters) {
        const hook = reporter[key] as ((...a: unknown[]) => unknown) | undefined;
        if (hook) pending.push(hook.apply(reporter, args));
      }
      return Promise.all(pending).then(() => undefined);
    };
  return {
    onRunStart: fan('onRunStart'),
    onDocStart: fan('onDocStart'),
    onBlockStart: fan('onBlockStart'),
    onBlockOutput: fan('onBlockOutput'),
    onBlockEnd: fan('onBlockEnd'),
    onDocEnd: fan('onDocEnd'),
    onRunEnd: fan('onRunEnd'),
  } as Required<RunEvents>;
}
