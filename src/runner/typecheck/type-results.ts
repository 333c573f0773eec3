import { codeFrame } from '../../engine/code-frame.js';
import type { ErrorReport } from '../../engine/error-report.js';
import { isJavaScript } from '../../engine/typecheck/notebook-files.js';
import type { TypeDiagnostic } from '../../engine/typecheck/type-checker.js';
import type { Block } from '../../markdown/document.js';
import { docStart, type RunEvents } from '../events.js';
import { blockIdentity, type BlockResult, type DocResult } from '../results.js';
import { checkedLangs, type DocTypeCheck } from './typecheck-docs.js';

/** A type error as reports show a runtime one: `doc.md:LINE:COL`, TSnnnn, a code frame. */
export function typeErrorReport(check: DocTypeCheck, diagnostic: TypeDiagnostic): ErrorReport {
  const { line, column } = diagnostic;
  return { message: `TS${diagnostic.code}: ${diagnostic.message}`, code: `TS${diagnostic.code}`, location: `${check.path}:${line}:${column}`, line, column, frame: codeFrame(check.doc.text, line, column) };
}

function uncheckedReason(check: DocTypeCheck, block: Block): string {
  if (check.doc.frontmatter.typecheck === false) return 'not type-checked: the frontmatter says typecheck: false';
  if (block.tokens.nocheck) return 'not type-checked: the fence says nocheck';
  if (block.kind === 'shell') return 'not type-checked: a shell block';
  if (isJavaScript(block)) return 'not type-checked: a js block is checked only when it starts with // @ts-check';
  return `not type-checked: ${block.lang || 'no'} fences are not TypeScript (${[...checkedLangs].join(', ')} are)`;
}

/**
 * A doc's check as a result every reporter can show. `running` (run
 * --typecheck): a doc with type errors fails with them, nothing of it having
 * run; its other blocks are `not-run`. Checking alone (runbook check): blocks
 * without errors pass.
 */
export function typeCheckResult(check: DocTypeCheck, running: boolean): DocResult {
  const { doc } = check;
  const failed = check.diagnostics.length > 0;
  const blocks: BlockResult[] = [];
  for (const block of doc.blocks) {
    if (block.kind !== 'code' && block.kind !== 'shell') continue;
    const base = { ...blockIdentity(block), stdout: '', stderr: '' };
    const errors = check.diagnostics.filter((diagnostic) => diagnostic.blockIndex === block.index);
    if (errors.length) {
      const error = typeErrorReport(check, errors[0]!);
      if (errors.length > 1) error.message += `\n(and ${errors.length - 1} more type error${errors.length === 2 ? '' : 's'} in this block: ${errors.slice(1).map((e) => `${check.path}:${e.line}:${e.column} TS${e.code}: ${e.message}`).join('; ')})`;
      blocks.push({ ...base, status: 'failed', error });
    } else if (failed && running) blocks.push({ ...base, status: 'not-run', reason: 'the doc has type errors' });
    else if (!check.checked.has(block.index)) blocks.push({ ...base, status: 'skipped', reason: uncheckedReason(check, block) });
    else blocks.push({ ...base, status: 'passed' });
  }
  const result: DocResult = { path: check.path, title: doc.title, tags: [], status: failed ? 'failed' : 'passed', durationMs: 0, blocks, cleanedUp: [], stamped: false, warnings: [] };
  if (check.error) return { ...result, status: 'failed', error: check.error };
  if (!failed && !check.checked.size) {
    result.status = 'skipped';
    result.skipReason = doc.frontmatter.typecheck === false ? 'typecheck: false in its frontmatter' : 'no TypeScript blocks to check';
  }
  return result;
}

/** Tells reporters about a doc's check result as they would hear of a run: start, each block, end. */
export function reportCheck(events: RunEvents, check: DocTypeCheck, result: DocResult): void {
  events.onDocStart?.(docStart(check.path, check.doc));
  for (const block of result.blocks) events.onBlockEnd?.({ path: check.path, result: block });
  events.onDocEnd?.(result);
}
