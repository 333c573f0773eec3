import { statSync } from 'node:fs';
import { isBuiltin } from 'node:module';
import { dirname, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createContainer } from '../../features/create-container.js';
import type { FeatureClass } from '../../container/feature.js';
import { DocEvaluator } from '../../engine/doc-evaluator.js';
import { createDocImporter } from '../../engine/doc-import.js';
import { readTextFile } from '../../engine/read-text.js';
import { createRuntime } from '../../engine/runtime.js';
import { runbookError } from '../../errors.js';
import type { RunbookDocument } from '../../markdown/document.js';
import { effectiveEvalMode } from '../block-plan.js';
import { snapshotDocState } from '../executor/clean-state.js';
import { installDocGlobals } from '../executor/doc-globals.js';
import { trackDocTimers } from '../executor/doc-timers.js';
import { guardDoc } from '../executor/process-guards.js';
import { executorNow, openedBlocks, type DocDone, type RunRequest } from '../executor-protocol.js';
import { trapFaults } from '../fault-trap.js';
import { formatSize } from '../format-size.js';
import { prepareDoc, type BlockCode } from '../prepare-doc.js';
import { RUN_ID_VARIABLE } from '../process-sweep.js';
import type { DocResult } from '../results.js';
import { skipReason } from '../skip-reason.js';
import { blockTimeout, checkFrontmatterTimeout } from '../limits.js';
import { DocFaults } from './doc-faults.js';
import { done, emptyResult, type DocRun, type SupervisorLink } from './doc-run.js';

/** A doc read, parsed and compiled, before anything of it runs. */
interface PreparedRun {
  absolute: string;
  doc: RunbookDocument;
  code: Map<number, BlockCode>;
  extraFeatures: FeatureClass[];
  result: DocResult;
}

// The CLI refuses oversized docs before a run; this holds for runRunbook too.
function checkDocSize(size: number, path: string, limit: number): void {
  if (size > limit) throw runbookError('RUNBOOK_DOC_TOO_LARGE', `${path} is ${formatSize(size)}, larger than the ${formatSize(limit)} limit, so runbook does not read it. Raise the limit with the maxDocSize option (--max-doc-size), or split the doc.`);
}

// The text the request carries (a doc read from stdin), else the file's.
function docText(request: RunRequest, absolute: string): string {
  const limit = request.options.maxDocSize;
  if (request.text !== undefined) {
    checkDocSize(Buffer.byteLength(request.text), request.path, limit);
    return request.text;
  }
  checkDocSize(statSync(absolute).size, request.path, limit);
  return readTextFile(absolute);
}

export function tagsOf(doc: RunbookDocument): string[] {
  const tags = doc.frontmatter.tags;
  return Array.isArray(tags) ? tags.map(String) : typeof tags === 'string' ? [tags] : [];
}

/**
 * The prepare phase: reads, parses and compiles the doc, and tells the
 * supervisor what it holds. A doc that cannot run (too large, bad frontmatter,
 * skipped) ends here with its `done` message.
 */
export async function prepareRun(request: RunRequest, link: SupervisorLink): Promise<PreparedRun | DocDone> {
  const absolute = resolve(request.path);
  const result = emptyResult(request.path);
  try {
    const prepared = await prepareDoc(docText(request, absolute), request.path, absolute);
    const { doc } = prepared;
    effectiveEvalMode(doc, request.options.evalMode); // validates the frontmatter's evalMode
    checkFrontmatterTimeout(doc);
    result.title = doc.title;
    result.tags = tagsOf(doc);
    const skip = skipReason(doc, request.options.env);
    if (skip) {
      result.status = 'skipped';
      result.skipReason = skip;
      return done(result);
    }
    let shortestLimitMs = Infinity;
    for (const block of doc.blocks) if (block.kind === 'code' || block.kind === 'shell') shortestLimitMs = Math.min(shortestLimitMs, blockTimeout(block, doc, request.options).ms);
    const blocks = openedBlocks(doc.blocks, Boolean(request.step || request.keepAlive));
    link.send({ type: 'opened', doc: { title: doc.title, tags: result.tags, text: doc.text, blocks }, shortestLimitMs, at: executorNow() });
    const extraFeatures = request.options.configFile ? await (await import('../config-file.js')).configFeatures(request.options.configFile) : [];
    // Compiled before the doc's processes are marked: esbuild's service must not carry the run id.
    const code = await prepared.compile();
    // A long doc is a large message: it reaches the supervisor before the blocks run, so their results can follow it as they end.
    await link.written();
    return { absolute, doc, code, extraFeatures, result };
  } catch (error) {
    result.status = 'failed';
    result.error = { message: (error as Error).message, code: (error as { code?: string }).code };
    return done(result);
  }
}

/**
 * The open phase: the doc's context in this process — its environment, run id,
 * container, runtime and evaluator, globals, fault trap, process guards and
 * timer tracking. What it changes is remembered first, for the close phase.
 */
export function openContext(request: RunRequest, link: SupervisorLink, prepared: PreparedRun): DocRun {
  const { absolute, doc } = prepared;
  const state = snapshotDocState();
  Object.assign(process.env, request.options.env);
  process.env[RUN_ID_VARIABLE] = request.runId;
  const docDir = dirname(absolute);
  const container = createContainer({ cwd: docDir, docPath: absolute, llm: request.options.llm, env: process.env });
  for (const feature of prepared.extraFeatures) container.register(feature);
  const importer = createDocImporter(docDir);
  let importedModules = false;
  const runtime = createRuntime({
    import: (specifier) => {
      if (typeof specifier !== 'string' || !isBuiltin(specifier)) importedModules = true;
      return importer(specifier);
    },
    importMeta: { url: pathToFileURL(absolute).href, filename: absolute, dirname: docDir },
  });
  const faults = new DocFaults();
  const releaseFaults = trapFaults(faults.receive);
  const releaseGuards = guardDoc(request.runId, (error) => faults.receive(error), () => link.marks.startBoth());
  const run: DocRun = {
    request,
    link,
    absolute,
    doc,
    code: prepared.code,
    container,
    runtime,
    evaluator: new DocEvaluator({ displayPath: request.path, absolute, text: doc.text, runtime }),
    faults,
    result: prepared.result,
    state,
    docDeadline: request.options.docTimeout ? Date.now() + request.options.docTimeout : undefined,
    failed: false,
    timedOut: false,
    stopped: false,
    ranAny: false,
    get importedModules() {
      return importedModules;
    },
    lastMarked: [],
    release: () => {
      releaseFaults();
      return releaseGuards();
    },
  };
  installDocGlobals(container, { path: absolute, dir: docDir, title: doc.title, frontmatter: doc.frontmatter }, runtime);
  trackDocTimers();
  return run;
}
