import { readFileSync } from 'node:fs';
import { effectiveEvalMode } from '../block-plan.js';
import type { DocOpened } from '../executor-protocol.js';
import { checkFrontmatterTimeout } from '../limits.js';
import { prepareDoc } from '../prepare-doc.js';
import type { DocRun } from './doc-run.js';
import { tagsOf } from './open-doc.js';

/**
 * A doc kept open (runbook open) edited on disk: read, parsed and compiled
 * again, and swapped into the run — its context (names, servers, timers) is
 * kept, so the next run of a block runs its new code. Throws, naming the doc,
 * when the new text does not parse; the run keeps the old blocks then.
 */
export async function reloadDoc(run: DocRun): Promise<DocOpened> {
  const path = run.request.path;
  const text = readFileSync(run.absolute, 'utf8');
  const prepared = await prepareDoc(text, path, run.absolute);
  const { doc } = prepared;
  effectiveEvalMode(doc, run.request.options.evalMode); // validates the frontmatter's evalMode, as a run does
  checkFrontmatterTimeout(doc);
  const code = await prepared.compile();
  run.doc = doc;
  run.code = code;
  run.evaluator.setText(doc.text);
  return { title: doc.title, tags: tagsOf(doc), text: doc.text, blocks: doc.blocks };
}
