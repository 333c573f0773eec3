import { readFileSync, statSync } from 'node:fs';
import { isBuiltin } from 'node:module';
import { dirname, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { inspect } from 'node:util';
import type { Container } from '../../container/container.js';
import { countNouns } from '../../container/disposal.js';
import { createContainer } from '../../features/create-container.js';
import type { FeatureClass } from '../../container/feature.js';
import { compiledBlock, type CompiledBlock } from '../../engine/compiled-block.js';
import { runBlockCode } from '../../engine/run-block.js';
import { createDocImporter } from '../../engine/doc-import.js';
import { blockFilename, reportError, type ErrorReport } from '../../engine/error-report.js';
import { createRuntime, type DocRuntime } from '../../engine/runtime.js';
import { runbookError } from '../../errors.js';
import type { Block, RunbookDocument } from '../../markdown/document.js';
import { effectiveEvalMode, planBlock } from '../block-plan.js';
import { clearDocTimers, trackDocTimers } from '../executor/doc-timers.js';
import { installDocGlobals } from '../executor/doc-globals.js';
import { guardDoc } from '../executor/process-guards.js';
import { identityChange, leftoverResources, restoreDocState, snapshotDocState, type DocStateSnapshot } from '../executor/clean-state.js';
import type { DocDone, ExecutedBlock, FromExecutor, RunRequest, ToExecutor } from '../executor-protocol.js';
import { trapFaults } from '../fault-trap.js';
import { judgeError } from '../judge-error.js';
import type { BlockMarks } from '../executor/block-marks.js';
import type { StreamName } from '../output-stream.js';
import { formatSize } from '../format-size.js';
import { prepareDoc, type BlockCode } from '../prepare-doc.js';
import { RUN_ID_VARIABLE, sweepRun } from '../process-sweep.js';
import type { DocResult } from '../results.js';
import { runShellBlock } from '../run-shell.js';
import { skipReason } from '../skip-reason.js';
import { blockTimeout, checkFrontmatterTimeout, timeoutError, type BlockLimit } from './block-timeout.js';

/** How the executor talks to its supervisor while it runs a doc. */
export interface SupervisorLink {
  send(message: FromExecutor): void;
  /** The supervisor's next message of this type (an answer the executor waits for). */
  next<T extends ToExecutor['type']>(type: T): Promise<Extract<ToExecutor, { type: T }>>;
  /** Marks block boundaries in stdout and stderr (see BlockMarks). */
  marks: BlockMarks;
}

const stoppedReason = 'the run was stopped at the --step prompt';

// Taken as the executor loads, before any doc runs: a doc that replaces the globals cannot stall the executor.
const timers = { setTimeout, clearTimeout, setImmediate };

/** One doc in an executor: its parsed form, its live context, and how its blocks went. */
export interface DocRun {
  request: RunRequest;
  link: SupervisorLink;
  absolute: string;
  doc: RunbookDocument;
  code: Map<number, BlockCode>;
  container: Container;
  runtime: DocRuntime;
  compiled: Map<number, CompiledBlock>;
  result: DocResult;
  state: DocStateSnapshot;
  docDeadline?: number;
  fault?: { error: unknown; origin: string };
  /** The fault was reported on the block it came from; later `always` blocks still run. */
  faultReported: boolean;
  rejectFault?: (error: unknown) => void;
  /** In a kept-alive session, faults while no block runs go here. */
  faultListener?: (error: unknown, origin: string) => void;
  failed: boolean;
  /** A block timed out: whatever it was waiting for may still run. */
  timedOut: boolean;
  skippedBecause?: string;
  stopped: boolean;
  ranAny: boolean;
  importedModules: boolean;
  /** The streams the last block printed to. */
  lastMarked: StreamName[];
  /** Disarms the doc's guards and fault trap; returns how many processes the doc started. */
  release: () => number;
}

// The CLI refuses oversized docs before a run; this holds for runRunbook too.
function checkDocSize(absolute: string, path: string, limit: number): void {
  const { size } = statSync(absolute);
  if (size > limit) throw runbookError('RUNBOOK_DOC_TOO_LARGE', `${path} is ${formatSize(size)}, larger than the ${formatSize(limit)} limit, so runbook does not read it. Raise the limit with the maxDocSize option (--max-doc-size), or split the doc.`);
}

function emptyResult(path: string): DocResult {
  return { path, title: path, tags: [], status: 'passed', durationMs: 0, blocks: [], cleanedUp: [], stamped: false, warnings: [] };
}

function tagsOf(doc: RunbookDocument): string[] {
  const tags = doc.frontmatter.tags;
  return Array.isArray(tags) ? tags.map(String) : typeof tags === 'string' ? [tags] : [];
}

function done(result: DocResult, extra: Partial<DocDone> = {}): DocDone {
  return { type: 'done', result, ranAny: false, stopped: false, dirty: [], ...extra };
}

/** A doc's error located in the Markdown file. */
export function reportFor(run: DocRun, error: unknown, block?: Block): ErrorReport {
  return reportError(error, {
    displayPath: run.request.path,
    text: run.doc.text,
    scriptPrefix: run.absolute,
    compiled: run.compiled,
    block: block && { line: block.line, lastLine: block.line + block.source.split('\n').length - 1 },
    lastThrow: run.runtime.lastThrow,
  });
}

/**
 * Runs one doc in this process (an executor): parse, open its context, run its
 * blocks, clean up. Never throws; reports through `link` and resolves with the
 * `done` message. With `request.keepAlive` the context stays open: the caller
 * gets the DocRun to serve console requests and must call `closeDoc` later.
 */
export async function executeDoc(request: RunRequest, link: SupervisorLink): Promise<{ done: DocDone; run?: DocRun }> {
  const started = performance.now();
  const opened = await openDoc(request, link);
  if ('type' in opened) {
    opened.result.durationMs = Math.round(performance.now() - started);
    return { done: opened };
  }
  const run = opened;
  await runBlocks(run);
  // Let late errors from what the last block started (a due timer, a pending callback) surface first.
  await new Promise((settle) => timers.setTimeout(settle, 0));
  await new Promise((settle) => timers.setImmediate(settle));
  if (request.keepAlive && !run.stopped) {
    finishStatus(run);
    run.result.durationMs = Math.round(performance.now() - started);
    return { done: done(run.result, { ranAny: run.ranAny }), run };
  }
  const dirty = await closeDoc(run);
  finishStatus(run);
  run.result.durationMs = Math.round(performance.now() - started);
  return { done: done(run.result, { ranAny: run.ranAny, stopped: run.stopped, dirty }) };
}

async function openDoc(request: RunRequest, link: SupervisorLink): Promise<DocRun | DocDone> {
  const absolute = resolve(request.path);
  const result = emptyResult(request.path);
  let doc: RunbookDocument;
  let code: Map<number, BlockCode>;
  let extraFeatures: FeatureClass[] = [];
  try {
    checkDocSize(absolute, request.path, request.options.maxDocSize);
    const prepared = await prepareDoc(readFileSync(absolute, 'utf8'), request.path, absolute);
    doc = prepared.doc;
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
    link.send({ type: 'opened', doc: { title: doc.title, tags: result.tags, text: doc.text, blocks: doc.blocks } });
    if (request.options.configFile) extraFeatures = await (await import('../config-file.js')).configFeatures(request.options.configFile);
    // Compiled before the doc's processes are marked: esbuild's service must not carry the run id.
    code = await prepared.compile();
  } catch (error) {
    result.status = 'failed';
    result.error = { message: (error as Error).message, code: (error as { code?: string }).code };
    return done(result);
  }

  const state = snapshotDocState();
  Object.assign(process.env, request.options.env);
  process.env[RUN_ID_VARIABLE] = request.runId;
  const docDir = dirname(absolute);
  const container = createContainer({ cwd: docDir, docPath: absolute, llm: request.options.llm, env: process.env });
  for (const feature of extraFeatures) container.register(feature);
  const importer = createDocImporter(docDir);
  const run: DocRun = {
    request,
    link,
    absolute,
    doc,
    code,
    container,
    compiled: new Map(),
    result,
    state,
    docDeadline: request.options.docTimeout ? Date.now() + request.options.docTimeout : undefined,
    failed: false,
    timedOut: false,
    faultReported: false,
    stopped: false,
    ranAny: false,
    importedModules: false,
    lastMarked: [],
    runtime: undefined as unknown as DocRuntime,
    release: () => 0,
  };
  run.runtime = createRuntime({
    import: (specifier) => {
      if (typeof specifier !== 'string' || !isBuiltin(specifier)) run.importedModules = true;
      return importer(specifier);
    },
    importMeta: { url: pathToFileURL(absolute).href, filename: absolute, dirname: docDir },
  });
  const onFault = (error: unknown, origin = 'fault') => {
    if (run.faultListener && !run.rejectFault) return run.faultListener(error, origin);
    run.fault ??= { error, origin };
    run.rejectFault?.(error);
  };
  const releaseFaults = trapFaults(onFault);
  const releaseGuards = guardDoc(request.runId, (error) => onFault(error), () => link.marks.startBoth());
  run.release = () => {
    releaseFaults();
    return releaseGuards();
  };
  installDocGlobals(container, { path: absolute, dir: docDir, title: doc.title, frontmatter: doc.frontmatter }, run.runtime);
  trackDocTimers();
  return run;
}

function baseOf(block: Block): ExecutedBlock {
  return { index: block.index, number: block.number!, lang: block.lang, line: block.fenceLine, durationMs: 0, status: 'passed' };
}

function record(run: DocRun, block: ExecutedBlock, expectsVerdict = false, marked: StreamName[] = []): void {
  run.link.send({ type: 'block-end', result: block, expectsVerdict, marked });
}

async function runBlocks(run: DocRun): Promise<void> {
  const { doc, request } = run;
  const mode = effectiveEvalMode(doc, request.options.evalMode);
  const only = request.only && new Set(request.only);
  for (const block of doc.blocks) {
    if (block.kind === 'other' || block.kind === 'output') continue;
    if (only && !only.has(block.index)) continue;
    const plan = planBlock(block, doc, mode, request.options);
    if (!plan.run) {
      record(run, { ...baseOf(block), status: 'skipped', reason: plan.reason });
      continue;
    }
    if (run.stopped || ((run.failed || run.skippedBecause) && !block.tokens.always)) {
      const reason = run.stopped ? stoppedReason : run.skippedBecause ? 'the doc was skipped' : 'an earlier block failed';
      record(run, { ...baseOf(block), status: 'not-run', reason });
      continue;
    }
    const limit = blockTimeout(block, doc, request.options, run.docDeadline);
    if (request.step) {
      run.link.send({ type: 'ask', index: block.index });
      const { decision } = await run.link.next('decision');
      if (decision !== 'run') {
        run.stopped = decision === 'quit';
        record(run, run.stopped ? { ...baseOf(block), status: 'not-run', reason: stoppedReason } : { ...baseOf(block), status: 'skipped', reason: 'skipped at the --step prompt' });
        continue;
      }
    }
    run.ranAny = true;
    await executeBlock(run, block, limit, !request.step);
  }
}

/** Runs one block (marked in the output streams) and reports its result. */
export async function executeBlock(run: DocRun, block: Block, limit: BlockLimit, announce: boolean): Promise<ExecutedBlock> {
  const result: ExecutedBlock = baseOf(block);
  run.runtime.lastThrow = undefined;
  // A fault from between blocks is an `always` block's business only to report once, on the doc: the block still runs.
  if (run.fault && !run.faultReported && block.tokens.always) reportFaultOnDoc(run);
  run.link.send({ type: 'block-start', index: block.index, timeoutMs: limit.ms, announce });
  run.link.marks.start(block.index);
  const started = performance.now();
  try {
    if (run.fault && !run.faultReported) throw run.fault.error;
    const faults = new Promise<never>((_, reject) => (run.rejectFault = reject));
    faults.catch(() => {}); // observed through the race below; never "unhandled"
    const { value } = await evaluateBlock(run, block, limit, faults);
    if (block.tokens.throws) throw runbookError('RUNBOOK_EXPECTED_THROW', `The fence says 'throws' but the block completed without throwing.`);
    if (value !== undefined && !block.tokens.silent) result.value = inspect(value, { depth: 4, breakLength: 100 });
  } catch (error) {
    const verdict = judgeError(error, block.tokens, run.fault);
    if (run.fault && Object.is(run.fault.error, error)) run.faultReported = true;
    if (verdict.kind === 'skip-doc') {
      run.skippedBecause = verdict.reason;
      result.status = 'skipped';
      result.reason = verdict.reason;
    } else if (verdict.kind === 'expected') {
      result.value = verdict.value;
    } else {
      result.status = verdict.status;
      run.timedOut ||= verdict.status === 'timed-out';
      result.error = reportFor(run, error, block);
      result.error.message = verdict.rewrite(result.error.message);
      run.failed = true;
    }
  } finally {
    run.rejectFault = undefined;
  }
  result.durationMs = Math.round(performance.now() - started);
  const marked = (run.lastMarked = run.link.marks.end());
  const expectsVerdict = result.status === 'passed' && block.expectedOutput !== undefined;
  record(run, result, expectsVerdict, marked);
  if (expectsVerdict && (await run.link.next('verdict')).failed) {
    result.status = 'failed';
    run.failed = true;
  }
  return result;
}

// Boxed, so that a promise a block ends with is its value and is not awaited (Node's REPL does the same).
async function evaluateBlock(run: DocRun, block: Block, limit: BlockLimit, faults: Promise<never>): Promise<{ value: unknown }> {
  if (block.kind === 'shell') {
    await Promise.race([runShellBlock(block, { cwd: dirname(run.absolute), env: process.env, timeoutMs: limit.ms }), faults]);
    return { value: undefined };
  }
  const code = run.code.get(block.index);
  if (!code) throw new Error(`internal error: block ${block.index} was not compiled`);
  if ('error' in code) throw code.error;
  const compiled = compiledBlock(block, code.parts);
  run.compiled.set(block.index, compiled);
  if (compiled.globalFunctions) run.runtime.bindings.declareFunctions(compiled.globalFunctions);
  const expired = () => timeoutError(limit, run.request.options.docTimeout);
  let value: unknown;
  // No vm timeout (a thread per block): a block that never yields is stopped by the supervisor.
  value = runBlockCode(compiled.code, blockFilename(run.absolute, block.index));
  if (!compiled.isAsync) return { value };
  // A block that waits too long is failed here; one that never yields is the supervisor's to stop.
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => (timer = timers.setTimeout(() => reject(expired()), limit.ms)));
  try {
    // An async block's script resolves to `{ value }`, or to undefined when it ends in a statement (see hoist.ts).
    const settled = await Promise.race([value as Promise<{ value: unknown } | undefined>, timeout, faults]);
    return { value: settled?.value };
  } finally {
    timers.clearTimeout(timer);
  }
}

function reportFaultOnDoc(run: DocRun): void {
  run.faultReported = true;
  run.failed = true;
  run.result.error = reportFor(run, run.fault!.error);
  run.result.error.message = `${run.fault!.origin} between blocks: ${run.result.error.message}`;
}

function finishStatus(run: DocRun): void {
  const { result } = run;
  if (run.request.options.strictLeaks && result.cleanedUp.length && !run.failed) {
    run.failed = true;
    result.error = { message: `The doc left things running that runbook had to clean up: ${result.cleanedUp.join(', ')} (--strict-leaks). Stop them in the doc, e.g. in an 'always' block.`, code: 'RUNBOOK_LEAKED' };
  }
  if (run.fault && !run.faultReported && !run.failed) {
    run.failed = true;
    result.error = reportFor(run, run.fault.error);
    result.error.message = `${run.fault.origin} after the last block: ${result.error.message}`;
  }
  result.status = run.failed ? 'failed' : run.skippedBecause || run.stopped ? 'skipped' : 'passed';
  if (run.stopped && !run.failed) result.skipReason = `${stoppedReason} (quit)`;
  else if (result.status === 'skipped') result.skipReason = run.skippedBecause;
}

/**
 * Ends the doc's context: disposes the container, clears its timers, kills the
 * processes it started, puts the process back as it was. Returns why this
 * executor must not run another doc (empty when it may).
 */
export async function closeDoc(run: DocRun): Promise<string[]> {
  const cleanup = await run.container.dispose();
  const timers = clearDocTimers();
  // Reading every process's environment costs ~5 ms: only a doc that started one pays it.
  const processes = run.release() > 0 ? await sweepRun(run.request.runId) : 0;
  run.runtime.bindings.restore();
  const leftover = await leftoverResources(run.state);
  restoreDocState(run.state);
  run.result.cleanedUp.push(...cleanup.cleaned, ...countNouns([...timers, ...Array<string>(processes).fill('process'), ...leftover]));
  run.result.warnings.push(...cleanup.errors.map(({ label, error }) => `cleanup of ${label} failed: ${String((error as Error)?.message ?? error)}`));
  const dirty: string[] = [];
  if (leftover.length) dirty.push(`it still holds ${countNouns(leftover).join(', ')}`);
  if (cleanup.errors.length) dirty.push('a cleanup failed');
  if (run.importedModules) dirty.push('the doc loaded modules');
  const changedIdentity = identityChange(run.state);
  if (changedIdentity) dirty.push(changedIdentity);
  if (run.fault || run.timedOut) dirty.push('a block timed out or faulted');
  return dirty;
}
