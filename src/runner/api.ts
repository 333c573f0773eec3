import { existsSync, readFileSync } from 'node:fs';
import { parseOptions } from '../container/options.js';
import type { RunbookDocument } from '../markdown/document.js';
import { parseRunbookText } from '../markdown/parse.js';
import type { RunbookConfig } from './config-file.js';
import type { RunEvents } from './events.js';
import type { DocResult } from './results.js';
import { ExecutorPool } from './schedule/executor-pool.js';
import { superviseDoc } from './schedule/supervise-doc.js';
import { runOptionsSchema, type RunOptionsInput } from './run-options.js';

/**
 * Parses a doc without running it: frontmatter, title, fenced blocks (with
 * their language, fence tokens, source and Markdown line), sections.
 * `source` is a path to a Markdown file, or Markdown text (anything with a
 * line break, or that names no existing file).
 * @param name how the doc is named in messages (default: the path, or "doc.md" for text)
 */
export function parseRunbook(source: string, name?: string): RunbookDocument {
  const isPath = !source.includes('\n') && existsSync(source);
  const text = isPath ? readFileSync(source, 'utf8') : source;
  return parseRunbookText(text, name ?? (isPath ? source : 'doc.md'));
}

/** Options of runRunbook: those of `runbook run`, plus hooks to watch the run. */
export interface RunRunbookOptions extends RunOptionsInput {
  /** Reporter hooks (onBlockStart, onBlockOutput, onBlockEnd, onDocEnd…), all optional. */
  events?: RunEvents;
}

/**
 * Runs one doc, as `runbook run` does, and returns its result: the same object
 * the JSON reporter writes for a doc. Never throws for a failing doc (look at
 * `status`); throws RUNBOOK_INVALID_OPTIONS for bad options. The doc runs in an
 * executor process of its own, so nothing it does can end, hang or patch the
 * caller.
 *
 * Options (defaults as on the command line): `[timeout=30000]` per block in ms,
 * `[stamp=true]` write lastTested/lastTestPassed into the doc, `[update=false]`
 * rewrite output fences, `evalMode`, `onlySections`, `env`, `docTimeout`,
 * `llm`, `strictLeaks`, `configFile` (a runbook.config whose features to register),
 * `typecheck` (type-check first: a doc with type errors fails with them, unrun).
 */
export async function runRunbook(path: string, options: RunRunbookOptions = {}): Promise<DocResult> {
  const { events, ...rest } = options;
  const parsed = parseOptions(runOptionsSchema.strict(), rest, 'runRunbook');
  const failedByTypes = parsed.typecheck ? (await import('./typecheck/type-gate.js')).typeGate([path])(path, events ?? {}) : undefined;
  if (failedByTypes) return failedByTypes;
  const pool = new ExecutorPool(1);
  try {
    return await superviseDoc(path, parsed, events ?? {}, pool);
  } finally {
    await pool.close();
  }
}

/** Types a runbook.config.ts: `export default defineConfig({ docs: ['docs/**\/*.md'] })`. */
export function defineConfig(config: RunbookConfig): RunbookConfig {
  return config;
}
