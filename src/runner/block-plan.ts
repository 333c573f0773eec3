import type { Block, RunbookDocument } from '../markdown/document.js';
import { evalModes, type EvalMode } from './eval-modes.js';
import { runbookError } from '../errors.js';

export type BlockPlan = { run: true } | { run: false; reason: string };

export interface PlanOptions {
  evalMode?: EvalMode;
  onlySections?: string[];
}

/** The eval mode in force: the command line wins over the doc's frontmatter. */
export function effectiveEvalMode(doc: RunbookDocument, cliMode: EvalMode | undefined): EvalMode {
  if (cliMode) return cliMode;
  const fromDoc = doc.frontmatter.evalMode;
  if (fromDoc === undefined) return 'all';
  if (typeof fromDoc === 'string' && (evalModes as readonly string[]).includes(fromDoc)) return fromDoc as EvalMode;
  throw runbookError(
    'RUNBOOK_INVALID_FRONTMATTER',
    `${doc.path}: frontmatter evalMode is ${JSON.stringify(fromDoc)}; use one of ${evalModes.join(', ')}.`,
  );
}

function inSections(block: Block, wanted: string[]): boolean {
  const names = block.sections.map((section) => section.toLowerCase());
  return wanted.some((section) => names.includes(section.trim().toLowerCase()));
}

/** Decides, for one block, whether it runs and if not, why. */
export function planBlock(block: Block, doc: RunbookDocument, mode: EvalMode, options: PlanOptions): BlockPlan {
  if (block.kind === 'other' || block.kind === 'output') return { run: false, reason: 'not code' };
  if (block.tokens.skip) return { run: false, reason: 'fence says skip' };
  if (mode === 'none') return { run: false, reason: 'eval mode is none' };
  if (mode === 'optIn' && !block.tokens.eval) return { run: false, reason: "eval mode is optIn and the fence has no 'eval'" };
  if (block.kind === 'shell' && !block.tokens.eval && doc.frontmatter.shell !== true) {
    return { run: false, reason: "shell blocks run only with the fence token 'eval' or frontmatter shell: true" };
  }
  if (options.onlySections?.length && !inSections(block, options.onlySections) && !block.tokens.always) {
    return { run: false, reason: `not in --only-sections ${options.onlySections.join(',')}` };
  }
  return { run: true };
}
