import type { Block, RunbookDocument } from '../markdown/document.js';
import { parseRunbookText } from '../markdown/parse.js';
import { effectiveEvalMode, planBlock } from '../runner/block-plan.js';
import { blockTimeout, killGraceMs } from '../runner/limits.js';
import type { RunOptions } from '../runner/run-options.js';
import { skipReason } from '../runner/skip-reason.js';
import { messageOf } from '../errors.js';

/** What vitest allows a block's test beyond the block's own limit: the executor's start and the supervisor's grace. */
export const testMarginMs = 10_000;

export interface TestModuleInput {
  /** The doc's absolute path. */
  path: string;
  text: string;
  options: RunOptions;
  /** Where the generated module imports the runtime (dist/vitest-runtime.js) from. */
  runtime: string;
}

const literal = (value: unknown) => JSON.stringify(value);

/** A block's test name: the heading it is under (else "block N") and its fence's line. */
export function blockTestName(block: Block): string {
  return `${block.sections.at(-1) ?? `block ${block.number}`} · line ${block.fenceLine}`;
}

function blockTests(doc: RunbookDocument, options: RunOptions): string[] {
  const mode = effectiveEvalMode(doc, options.evalMode);
  return doc.blocks
    .filter((block) => block.kind === 'code' || block.kind === 'shell')
    .map((block) => {
      const name = literal(blockTestName(block));
      if (!planBlock(block, doc, mode, options).run) return `  test.skip(${name}, () => {});`;
      const timeout = blockTimeout(block, doc, options).ms + killGraceMs + testMarginMs;
      return `  test(${name}, { timeout: ${timeout} }, (context) => doc.block(${block.index}, context));`;
    });
}

/**
 * A doc as a vitest test module: a `describe` named by the doc's title with a
 * test per code or shell block, in order. Blocks that would not run are
 * `test.skip`; a doc that does not parse is one failing test that says why.
 */
export function docTestModule({ path, text, options, runtime }: TestModuleInput): string {
  const head = [`import { describe, test, beforeAll, afterAll } from 'vitest';`, `import { docSuite } from ${literal(runtime)};`, ''];
  let doc: RunbookDocument;
  let tests: string[];
  try {
    doc = parseRunbookText(text, path);
    tests = blockTests(doc, options);
  } catch (error) {
    return [...head, `test(${literal(path)}, () => {`, `  throw new Error(${literal(messageOf(error))});`, `});`, ''].join('\n');
  }
  const skipped = skipReason(doc, options.env);
  const hookTimeout = options.timeout + killGraceMs + testMarginMs;
  const hooks = [`  beforeAll(() => doc.start());`, `  afterAll(() => doc.finish(), ${hookTimeout});`];
  return [
    ...head,
    `const doc = docSuite(${literal(path)}, ${literal(options)});`,
    '',
    skipped ? `describe.skip(${literal(`${doc.title} (${skipped})`)}, () => {` : `describe(${literal(doc.title)}, () => {`,
    ...(skipped ? [] : hooks),
    ...tests,
    `});`,
    '',
  ].join('\n');
}
