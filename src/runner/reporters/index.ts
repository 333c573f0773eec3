import type { RunEvents } from '../events.js';
import { GithubReporter } from './github.js';
import { HtmlReporter } from './html.js';
import { JsonReporter } from './json.js';
import { JunitReporter } from './junit.js';
import { LiterateReporter } from './literate.js';
import { PrettyReporter } from './pretty.js';
import { TapReporter } from './tap.js';

/** How each reporter --reporter names is made; `outputFile` is where a machine-readable one writes. */
const reporters = {
  pretty: () => new PrettyReporter(),
  literate: () => new LiterateReporter(),
  json: (outputFile?: string) => new JsonReporter(outputFile),
  junit: (outputFile?: string) => new JunitReporter(outputFile),
  tap: (outputFile?: string) => new TapReporter(outputFile),
  html: (outputFile?: string) => new HtmlReporter(outputFile),
  github: () => new GithubReporter(),
} satisfies Record<string, (outputFile?: string) => RunEvents>;

export type ReporterName = keyof typeof reporters;
export const reporterNames = Object.keys(reporters) as ReporterName[];

/** Reporters that produce one document (a file, or stdout when no file is given). */
export const fileReporterNames = ['json', 'junit', 'tap', 'html'] as const satisfies readonly ReporterName[];

/** Builds the named reporter. */
export function createReporter(name: ReporterName, outputFile?: string): RunEvents {
  return reporters[name](outputFile);
}

const settled = Promise.resolve();

/**
 * Fans every event out to several reporters; the promise it returns settles once every
 * reporter's has. Events come per block: one no reporter answers with a promise costs none.
 */
export function combineReporters(reporters: RunEvents[]): Required<RunEvents> {
  const fan =
    <K extends keyof RunEvents>(key: K) =>
    (...args: Parameters<NonNullable<RunEvents[K]>>) => {
      let pending: unknown[] | undefined;
      for (const reporter of reporters) {
        const hook = reporter[key] as ((...a: unknown[]) => unknown) | undefined;
        const result = hook?.apply(reporter, args);
        if (typeof (result as PromiseLike<unknown> | undefined)?.then === 'function') (pending ??= []).push(result);
      }
      return pending ? Promise.all(pending).then(() => undefined) : settled;
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
