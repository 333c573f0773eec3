import * as z from 'zod';
import { maxTimeoutMs, timeoutLimitText } from '../timeout-limit.js';
import { defaultMaxDocSize } from './doc-size.js';
import { evalModes, llmModes } from './eval-modes.js';

export { evalModes, llmModes, type EvalMode } from './eval-modes.js';

/** More executor processes than this only thrash: each is a whole Node process. */
export const maxJobs = 256;

/** --jobs and the config's `jobs`. */
export const jobsSchema = () => z.number().int().positive().max(maxJobs, `at most ${maxJobs} executor processes`);

/** A timeout in ms: a whole number from 1 up to what Node's timers take. */
export const timeoutSchema = () => z.number().int().positive().max(maxTimeoutMs, timeoutLimitText);

/** Options for running docs, shared by the CLI and the programmatic API. */
export const runOptionsSchema = z.object({
  /** Default per-block timeout in ms. */
  timeout: timeoutSchema().default(30_000),
  evalMode: z.enum(evalModes).optional(),
  onlySections: z.array(z.string()).optional(),
  update: z.boolean().default(false),
  stamp: z.boolean().default(true),
  llm: z.enum(llmModes).optional(),
  /** Extra environment for the docs (e.g. from --env-file). */
  env: z.record(z.string(), z.string()).default({}),
  bail: z.boolean().default(false),
  /** Limit for a whole doc, in ms. */
  docTimeout: timeoutSchema().optional(),
  /** Fail a doc that left servers, timers or processes for the runner to clean up. */
  strictLeaks: z.boolean().default(false),
  /** A runbook.config file whose custom features every doc's container registers. */
  configFile: z.string().optional(),
  /** Docs larger than this many bytes are refused before they are read (--max-doc-size). */
  maxDocSize: z.number().int().positive().default(defaultMaxDocSize),
  /** Type-check docs first; a doc with type errors fails with them and does not run (--typecheck). */
  typecheck: z.boolean().default(false),
  /** A skipped doc fails the run, for CI that must not pass on a missing key (--fail-on-skip; see fail-on-skip.ts). */
  failOnSkip: z.boolean().default(false),
});

export type RunOptions = z.infer<typeof runOptionsSchema>;
export type RunOptionsInput = z.input<typeof runOptionsSchema>;
