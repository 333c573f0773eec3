import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import vm from 'node:vm';
import { inspect } from 'node:util';
import { createContainer } from '../container/create-container.js';
import { compiledBlock, type CompiledBlock } from '../engine/compiled-block.js';
import { createDocContext } from '../engine/context.js';
import { blockFilename, reportError, type ErrorReport } from '../engine/error-report.js';
import { watchdog } from '../engine/watchdog.js';
import { countNouns } from '../container/container.js';
import { whileRunning } from './interrupt.js';
import { childSpawnCount, newRunId, RUN_ID_VARIABLE, sweepRun, sweepRunSync } from './process-sweep.js';
import { OutputCapture } from '../engine/output-capture.js';
import { TrackedTimers } from '../engine/timers.js';
import { hasCode, runbookError } from '../errors.js';
import type { Block, RunbookDocument } from '../markdown/document.js';
import { prepareDoc, type BlockCode, type PreparedDoc } from './prepare-doc.js';
import { effectiveEvalMode, planBlock } from './block-plan.js';
import type { RunEvents } from './events.js';
import type { OutputUpdate } from './expected-output.js';
import { trapFaults } from './fault-trap.js';
import type { BlockResult, DocResult } from './results.js';
import type { RunOptions } from './run-options.js';
import { judgeError } from './judge-error.js';
import { maskBlock, maskResult, secretMasker } from './mask-secrets.js';
import { runShellBlock } from './run-shell.js';
import { skipReason } from './skip-reason.js';
import type { DocHooks, DocSession } from './doc-session.js';
import type { FeatureClass } from '../container/feature.js';
import type { StreamName } from '../engine/output-capture.js';

function blockTimeout(block: Block, doc: RunbookDocument, options: RunOptions): number {
  if (block.tokens.timeoutMs) return block.tokens.timeoutMs;
  const fromDoc = doc.frontmatter.timeout;
  if (typeof fromDoc === 'number' && fromDoc > 0) return fromDoc;
  return options.timeout;
}

// The doc's own deadline (--doc-timeout) bounds every block in it.
function boundedTimeout(ms: number, docDeadline: number | undefined): { ms: number; byDoc: boolean } {
  if (docDeadline === undefined) return { ms, byDoc: false };
  const left = Math.max(docDeadline - Date.now(), 1);
  return left < ms ? { ms: left, byDoc: true } : { ms, byDoc: false };
}

function tagsOf(doc: RunbookDocument | undefined): string[] {
  const tags = doc?.frontmatter.tags;
  return Array.isArray(tags) ? tags.map(String) : typeof tags === 'string' ? [tags] : [];
}

function timeoutError(limit: { ms: number; byDoc: boolean }, docTimeout?: number): Error {
  if (limit.byDoc) return runbookError('RUNBOOK_BLOCK_TIMEOUT', `The doc ran out of time: --doc-timeout is ${docTimeout} ms.`);
  return runbookError('RUNBOOK_BLOCK_TIMEOUT', `Timed out after ${limit.ms} ms. Raise it with the fence token timeout=MS, frontmatter timeout, or --timeout.`);
}

const stoppedReason = 'the run was stopped at the --step prompt';

/**
 * Parses, runs and (unless told not to) stamps one doc. Never throws.
 * `hooks` are the interactive extension points (--step, --console): see DocHooks.
 */
export async function runDoc(path: string, options: RunOptions, events: RunEvents = {}, hooks: DocHooks = {}): Promise<DocResult> {
  const started = performance.now();
  const absolute = resolve(path);
  const result: DocResult = { path, title: path, tags: [], status: 'passed', durationMs: 0, blocks: [], cleanedUp: [], stamped: false, warnings: [] };
  let mask = (text: string): string => text;
  const finish = (): DocResult => {
    result.durationMs = Math.round(performance.now() - started);
    maskResult(result, mask);
    events.onDocEnd?.(result);
    return result;
  };

  let doc: RunbookDocument;
  let prepared: PreparedDoc;
  let mode;
  let extraFeatures: FeatureClass[] = [];
  try {
    prepared = await prepareDoc(readFileSync(absolute, 'utf8'), path, absolute);
    doc = prepared.doc;
    mode = effectiveEvalMode(doc, options.evalMode);
    if (options.configFile) extraFeatures = await (await import('./config-file.js')).configFeatures(options.configFile);
  } catch (error) {
    result.status = 'failed';
    result.error = { message: (error as Error).message, code: (error as { code?: string }).code };
    return finish();
  }
  result.title = doc.title;
  result.tags = tagsOf(doc);
  const skip = skipReason(doc, options.env);
  if (skip) {
    result.status = 'skipped';
    result.skipReason = skip;
    return finish();
  }

  events.onDocStart?.({
    path,
    title: doc.title,
    text: doc.text,
    blocks: doc.blocks.map((b) => ({ index: b.index, number: b.number, lang: b.lang, kind: b.kind, line: b.fenceLine, start: b.start, end: b.end, silent: b.tokens.silent })),
  });

  // Compiled before the doc's processes are marked (see transpileAhead).
  const code = await prepared.compile();
  const runId = newRunId();
  const spawnsBefore = await childSpawnCount();
  // Children inherit the marker whether they are started with the doc's env or the runner's.
  process.env[RUN_ID_VARIABLE] = runId;
  const docDeadline = options.docTimeout ? Date.now() + options.docTimeout : undefined;
  const env: NodeJS.ProcessEnv = { ...process.env, ...options.env };
  mask = secretMasker(env);
  const docDir = dirname(absolute);
  const container = createContainer({ cwd: docDir, docPath: absolute, llm: options.llm, env });
  for (const feature of extraFeatures) container.register(feature);
  const timers = new TrackedTimers();
  let currentBlock = -1;
  // A kept-alive session (--console) sends the doc's console elsewhere once the run is over.
  let outputSink: ((stream: StreamName, text: string) => void) | undefined;
  const capture = new OutputCapture((stream, text) => (outputSink ? outputSink(stream, text) : events.onBlockOutput?.(path, currentBlock, stream, mask(text))));
  let fault: { error: unknown; origin: string } | undefined;
  let rejectFault: ((error: unknown) => void) | undefined;
  let faultListener: ((error: unknown, origin: string) => void) | undefined;
  const onFault = (error: unknown, origin = 'fault') => {
    if (faultListener && !rejectFault) return faultListener(error, origin);
    fault ??= { error, origin };
    rejectFault?.(error);
  };
  const releaseFaults = trapFaults(onFault);
  const stopWatching = whileRunning(async () => {
    await container.dispose();
    timers.clearAll();
    sweepRunSync(runId);
  });
  const { context, runtime } = createDocContext({
    container,
    doc: { path: absolute, dir: docDir, title: doc.title, frontmatter: doc.frontmatter },
    capture,
    timers,
    env,
    onFault: (error) => onFault(error),
  });
  const compiled = new Map<number, CompiledBlock>();
  const scriptPrefix = absolute;
  const report = (error: unknown, block?: Block): ErrorReport =>
    reportError(error, {
      displayPath: path,
      text: doc.text,
      scriptPrefix,
      compiled,
      block: block && { line: block.line, lastLine: block.line + block.source.split('\n').length - 1 },
      lastThrow: runtime.lastThrow,
    });

  const updates: OutputUpdate[] = [];
  let failed = false;
  // A feature may find mid-doc that the doc cannot run here (no API key and no recording).
  let skippedBecause: string | undefined;
  let ranAny = false;
  const baseOf = (block: Block) => ({ index: block.index, number: block.number!, lang: block.lang, line: block.fenceLine, durationMs: 0, stdout: '', stderr: '' });
  // Runs one block in the doc's context and judges it; `announce` reports its start.
  const executeBlock = async (block: Block, limit: { ms: number; byDoc: boolean }, announce: boolean): Promise<BlockResult> => {
    const base = baseOf(block);
    currentBlock = block.index;
    capture.reset();
    runtime.lastThrow = undefined;
    if (announce) events.onBlockStart?.(path, block.index, limit.ms);
    const blockStarted = performance.now();
    const blockResult: BlockResult = { ...base, status: 'passed' };
    try {
      if (fault) throw fault.error;
      const faults = new Promise<never>((_, reject) => (rejectFault = reject));
      faults.catch(() => {}); // observed through the race below; never "unhandled"
      const value = await runBlock(block, { code: code.get(block.index), docDir, env, capture, context, compiled, scriptPrefix, limit, docTimeout: options.docTimeout, faults });
      if (block.tokens.throws) {
        throw runbookError('RUNBOOK_EXPECTED_THROW', `The fence says 'throws' but the block completed without throwing.`);
      }
      if (value !== undefined && !block.tokens.silent) blockResult.value = inspect(value, { depth: 4, breakLength: 100 });
    } catch (error) {
      const verdict = judgeError(error, block.tokens, fault);
      if (verdict.kind === 'skip-doc') {
        skippedBecause = verdict.reason;
        blockResult.status = 'skipped';
        blockResult.reason = verdict.reason;
      } else if (verdict.kind === 'expected') {
        blockResult.value = verdict.value;
      } else {
        blockResult.status = verdict.status;
        blockResult.error = report(error, block);
        blockResult.error.message = verdict.rewrite(blockResult.error.message);
        failed = true;
      }
    } finally {
      rejectFault = undefined;
    }
    blockResult.stdout = capture.stdout;
    blockResult.stderr = capture.stderr;
    if (blockResult.status === 'passed' && block.expectedOutput !== undefined) {
      const outputBlock = doc.blocks[block.expectedOutput]!;
      const { compareOutput, outputUpdate } = await import('./expected-output.js'); // loads a diff library
      const diff = compareOutput(outputBlock.source, capture.stdout);
      if (diff && options.update) updates.push(outputUpdate(doc.text, outputBlock, capture.stdout));
      else if (diff) {
        blockResult.status = 'failed';
        const mismatch = runbookError('RUNBOOK_OUTPUT_MISMATCH', `Output differs from the expected output (run with --update to accept the new output).`);
        blockResult.error = { ...report(Object.assign(mismatch, { position: { line: outputBlock.line, column: outputBlock.indent + 1 } }), block), diff };
        failed = true;
      }
    }
    blockResult.durationMs = Math.round(performance.now() - blockStarted);
    return blockResult;
  };

  let stopped = false;
  for (const block of doc.blocks) {
    if (block.kind === 'other' || block.kind === 'output') continue;
    const plan = planBlock(block, doc, mode, options);
    const base = baseOf(block);
    if (!plan.run) {
      const skipped: BlockResult = { ...base, status: 'skipped', reason: plan.reason };
      result.blocks.push(skipped);
      events.onBlockEnd?.(path, skipped);
      continue;
    }
    if (stopped || ((failed || skippedBecause) && !block.tokens.always)) {
      const notRun: BlockResult = { ...base, status: 'not-run', reason: stopped ? stoppedReason : skippedBecause ? 'the doc was skipped' : 'an earlier block failed' };
      result.blocks.push(notRun);
      events.onBlockEnd?.(path, notRun);
      continue;
    }
    const limit = boundedTimeout(blockTimeout(block, doc, options), docDeadline);
    if (hooks.beforeBlock) {
      events.onBlockStart?.(path, block.index, limit.ms);
      const decision = await hooks.beforeBlock(block);
      if (decision !== 'run') {
        stopped = decision === 'quit';
        const declined: BlockResult = stopped ? { ...base, status: 'not-run', reason: stoppedReason } : { ...base, status: 'skipped', reason: 'skipped at the --step prompt' };
        result.blocks.push(declined);
        events.onBlockEnd?.(path, declined);
        continue;
      }
    }
    ranAny = true;
    const blockResult = await executeBlock(block, limit, !hooks.beforeBlock);
    result.blocks.push(blockResult);
    events.onBlockEnd?.(path, maskBlock(blockResult, mask));
  }

  // Let late errors from what the last block started (a due timer, a pending
  // callback) surface before cleaning up: one turn of timers, then of I/O.
  await new Promise((done) => setTimeout(done, 0));
  await new Promise((done) => setImmediate(done));
  const cleanUp = async (): Promise<{ cleanedUp: string[]; warnings: string[] }> => {
    const cleanup = await container.dispose();
    const clearedTimers = timers.clearAll();
    const strayProcesses = (await childSpawnCount()) > spawnsBefore ? await sweepRun(runId) : 0;
    if (process.env[RUN_ID_VARIABLE] === runId) delete process.env[RUN_ID_VARIABLE];
    stopWatching();
    releaseFaults();
    return {
      cleanedUp: [...cleanup.cleaned, ...countNouns([...clearedTimers, ...Array<string>(strayProcesses).fill('process')])],
      warnings: cleanup.errors.map(({ label, error }) => `cleanup of ${label} failed: ${String((error as Error)?.message ?? error)}`),
    };
  };
  // --console keeps the context and container for the REPL, which disposes them when it ends.
  const keepAlive = hooks.keepAlive && !stopped;
  if (!keepAlive) {
    const { cleanedUp, warnings } = await cleanUp();
    result.cleanedUp = cleanedUp;
    result.warnings.push(...warnings);
  }
  if (options.strictLeaks && result.cleanedUp.length && !failed) {
    failed = true;
    result.error = { message: `The doc left things running that runbook had to clean up: ${result.cleanedUp.join(', ')} (--strict-leaks). Stop them in the doc, e.g. in an 'always' block.`, code: 'RUNBOOK_LEAKED' };
  }
  if (fault && !failed) {
    failed = true;
    result.error = report(fault.error);
    result.error.message = `${fault.origin} after the last block: ${result.error.message}`;
  }
  result.status = failed ? 'failed' : skippedBecause || stopped ? 'skipped' : 'passed';
  if (stopped) {
    if (!failed) result.skipReason = `${stoppedReason} (quit)`;
    return finish(); // a doc stopped halfway is never stamped
  }
  if (keepAlive) {
    hooks.keepAlive!({
      doc,
      context,
      container,
      scriptPrefix,
      runnable: doc.blocks.filter((block) => block.kind === 'code' || block.kind === 'shell'),
      runBlock: async (index) => {
        const block = doc.blocks[index];
        if (!block || (block.kind !== 'code' && block.kind !== 'shell')) throw runbookError('RUNBOOK_USAGE', `The doc has no code block with index ${index}.`);
        fault = undefined;
        return executeBlock(block, { ms: blockTimeout(block, doc, options), byDoc: false }, false);
      },
      setOutput: (listener) => (outputSink = listener),
      setFaultListener: (listener) => (faultListener = listener),
      report: (error) => report(error),
      dispose: cleanUp,
    } satisfies DocSession);
  }
  if (result.status === 'skipped') {
    result.skipReason = skippedBecause;
    return finish(); // a skipped doc is never stamped
  }

  const stamp = options.stamp && ranAny ? { lastTested: new Date().toISOString(), lastTestPassed: !failed } : undefined;
  if (stamp || updates.length) {
    try {
      const { writeBack } = await import('./write-back.js'); // loads the YAML parser
      result.stamped = writeBack(absolute, { stamp, updates }, path, result.warnings);
    } catch (error) {
      result.warnings.push((error as Error).message);
    }
  }
  return finish();
}

interface BlockRun {
  /** The block's compiled code (code blocks only). */
  code: BlockCode | undefined;
  docDir: string;
  env: NodeJS.ProcessEnv;
  capture: OutputCapture;
  context: vm.Context;
  compiled: Map<number, CompiledBlock>;
  scriptPrefix: string;
  limit: { ms: number; byDoc: boolean };
  docTimeout?: number;
  faults: Promise<never>;
}

async function runBlock(block: Block, run: BlockRun): Promise<unknown> {
  if (block.kind === 'shell') {
    await Promise.race([runShellBlock(block, { cwd: run.docDir, env: run.env, capture: run.capture, timeoutMs: run.limit.ms }), run.faults]);
    return undefined;
  }
  if (!run.code) throw new Error(`internal error: block ${block.index} was not compiled`);
  if ('error' in run.code) throw run.code.error;
  const compiled = compiledBlock(block, run.code.parts);
  run.compiled.set(block.index, compiled);
  const script = new vm.Script(compiled.code, { filename: blockFilename(run.scriptPrefix, block.index) });
  const { ms } = run.limit;
  const expired = () => timeoutError(run.limit, run.docTimeout);
  const deadline = Date.now() + ms;
  let timer: NodeJS.Timeout | undefined;
  let disarm = (): void => {};
  // A timer catches a block that waits too long; the watchdog one that never yields.
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(expired()), Math.max(deadline - Date.now(), 0));
    if (compiled.isAsync) disarm = watchdog().arm(ms, () => reject(expired()));
  });
  timeout.catch(() => {});
  try {
    let value: unknown;
    try {
      value = script.runInContext(run.context, { timeout: ms, displayErrors: false });
    } catch (error) {
      if (hasCode(error, 'ERR_SCRIPT_EXECUTION_TIMEOUT')) throw expired();
      throw error;
    }
    if (!compiled.isAsync) return value;
    return await Promise.race([value as Promise<unknown>, timeout, run.faults]);
  } finally {
    disarm();
    clearTimeout(timer);
  }
}
