import * as z from 'zod';

import { evalModes, llmModes } from './eval-modes.js';

export { evalModes, llmModes, type EvalMode } from './eval-modes.js';

/** Options for running docs, shared by the CLI and the programmatic API. */
export const runOptionsSchema = z.object({
  /** Default per-block timeout in ms. */
  timeout: z.number().int().positive().default(30_000),
  evalMode: z.enum(evalModes).optional(),
  onlySections: z.array(z.string()).optional(),
  update: z.boolean().default(false),
  stamp: z.boolean().default(true),
  llm: z.enum(llmModes).optional(),
  /** Extra environment for the docs (e.g. from --env-file). */
  env: z.record(z.string(), z.string()).default({}),
  bail: z.boolean().default(false),
  /** Limit for a whole doc, in ms. */
  docTimeout: z.number().int().positive().optional(),
  /** Fail a doc that left servers, timers or processes for the runner to clean up. */
  strictLeaks: z.boolean().default(false),
  /** A runbook.config file whose custom features every doc's container registers. */
  configFile: z.string().optional(),
});

export type RunOptions = z.infer<typeof runOptionsSchema>;
export type RunOptionsInput = z.input<typeof runOptionsSchema>;
