import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import vm from 'node:vm';
import { inspect } from 'node:util';
import { createContainer } from '../container/create-container.js';
import { compileBlock, type CompiledBlock } from '../engine/compile.js';
import { createDocContext } from '../engine/context.js';
import { blockFilename, reportError, type ErrorReport } from '../engine/error-report.js';
import { watchdog } from '../engine/watchdog.js';
import { OutputCapture } from '../engine/output-capture.js';
import { TrackedTimers } from '../engine/timers.js';
import { hasCode, runbookError } from '../errors.js';
import type { Block, RunbookDocument } from '../markdown/document.js';
import { parseRunbookText } from '../markdown/parse.js';
import { effectiveEvalMode, planBlock } from './block-plan.js';
import type { RunEvents } from './events.js';
import { compareOutput, outputUpdate, type OutputUpdate } from './expected-output.js';
import { trapFaults } from './fault-trap.js';
import type { BlockResult, DocResult } from './results.js';
import type { RunOptions } from './run-options.js';
import { runShellBlock } from './run-shell.js';
import { skipReason } from './skip-reason.js';
import { writeBack } from './write-back.js';

function blockTimeout(block: Block, doc: RunbookDocument, options: RunOptions): number {
  if (block.tokens.timeoutMs) return block.tokens.timeoutMs;
  const fromDoc = doc.frontmatter.timeout;
  if (typeof fromDoc === 'number' && fromDoc > 0) return fromDoc;
  return options.timeout;
}

function tagsOf(doc: RunbookDocument | undefined): string[] {
  const tags = doc?.frontmatter.tags;
  return Array.isArray(tags) ? tags.map(String) : typeof tags === 'string' ? [tags] : [];
}

function timeoutError(ms: number): Error {
  return runbookError('RUNBOOK_BLOCK_TIMEOUT', `Timed out after ${ms} ms. Raise it with the fence token timeout=MS, frontmatter timeout, or --timeout.`);
}

/** Parses, runs and (unless told not to) stamps one doc. Never throws. */
export async function runDoc(path: string, options: RunOptions, events: RunEvents = {}): Promise<DocResult> {
  const started = performance.now();
  const absolute = resolve(path);
  const result: DocResult = { path, title: path, tags: [], status: 'passed', durationMs: 0, blocks: [], cleanedUp: [], stamped: false, warnings: [] };
  const finish = (): DocResult => {
    result.durationMs = Math.round(performance.now() - started);
    events.onDocEnd?.(result);
    return result;
  };

  let doc: RunbookDocument;
  let mode;
  try {
    doc = parseRunbookText(readFileSync(absolute, 'utf8'), path);
    mode = effectiveEvalMode(doc, options.evalMode);
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
    blocks: doc.blocks.map((b) => ({ index: b.index, lang: b.lang, kind: b.kind, line: b.fenceLine, start: b.start, end: b.end, silent: b.tokens.silent })),
  });

  const env: NodeJS.ProcessEnv = { ...process.env, ...options.env };
  const docDir = dirname(absolute);
  const container = createContainer({ cwd: docDir, docPath: absolute, llm: options.llm, env });
  const timers = new TrackedTimers();
  let currentBlock = -1;
  const capture = new OutputCapture((stream, text) => events.onBlockOutput?.(path, currentBlock, stream, text));
  let fault: { error: unknown; origin: string } | undefined;
  let rejectFault: ((error: unknown) => void) | undefined;
  const onFault = (error: unknown, origin = 'fault') => {
    fault ??= { error, origin };
    rejectFault?.(error);
  };
  const releaseFaults = trapFaults(onFault);
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
  let ranAny = false;
  for (const block of doc.blocks) {
    if (block.kind === 'other' || block.kind === 'output') continue;
    const plan = planBlock(block, doc, mode, options);
    const base = { index: block.index, lang: block.lang, line: block.fenceLine, durationMs: 0, stdout: '', stderr: '' };
    if (!plan.run) {
      const skipped: BlockResult = { ...base, status: 'skipped', reason: plan.reason };
      result.blocks.push(skipped);
      events.onBlockEnd?.(path, skipped);
      continue;
    }
    if (failed && !block.tokens.always) {
      const notRun: BlockResult = { ...base, status: 'not-run', reason: 'an earlier block failed' };
      result.blocks.push(notRun);
      events.onBlockEnd?.(path, notRun);
      continue;
    }
    ranAny = true;
    currentBlock = block.index;
    capture.reset();
    runtime.lastThrow = undefined;
    events.onBlockStart?.(path, block.index);
    const blockStarted = performance.now();
    const blockResult: BlockResult = { ...base, status: 'passed' };
    try {
      if (fault) throw fault.error;
      const faults = new Promise<never>((_, reject) => (rejectFault = reject));
      faults.catch(() => {}); // observed through the race below; never "unhandled"
      const value = await runBlock(block, { docDir, env, capture, context, compiled, scriptPrefix, timeoutMs: blockTimeout(block, doc, options), faults });
      if (block.tokens.throws) {
        throw runbookError('RUNBOOK_EXPECTED_THROW', `The fence says 'throws' but the block completed without throwing.`);
      }
      if (value !== undefined && !block.tokens.silent) blockResult.value = inspect(value, { depth: 4, breakLength: 100 });
    } catch (error) {
      const expected = block.tokens.throws && !fault && !hasCode(error, 'RUNBOOK_EXPECTED_THROW') && !hasCode(error, 'RUNBOOK_BLOCK_TIMEOUT') && !hasCode(error, 'RUNBOOK_SYNTAX');
      const matches = expected && (block.tokens.throws === true || String((error as Error)?.message ?? error).includes(block.tokens.throws as string));
      if (matches) {
        blockResult.value = `threw as expected: ${String((error as Error)?.message ?? error)}`;
      } else {
        blockResult.status = hasCode(error, 'RUNBOOK_BLOCK_TIMEOUT') ? 'timed-out' : 'failed';
        blockResult.error = report(error, block);
        if (expected) {
          blockResult.error.message = `The fence says throws="${block.tokens.throws as string}" but the error was: ${blockResult.error.message}`;
        } else if (fault && Object.is(fault.error, error)) {
          blockResult.error.message = `${fault.origin === 'fault' ? '' : `${fault.origin}: `}${blockResult.error.message}`;
        }
        failed = true;
      }
    } finally {
      rejectFault = undefined;
    }
    blockResult.stdout = capture.stdout;
    blockResult.stderr = capture.stderr;
    if (blockResult.status === 'passed' && block.expectedOutput !== undefined) {
      const outputBlock = doc.blocks[block.expectedOutput]!;
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
    result.blocks.push(blockResult);
    events.onBlockEnd?.(path, blockResult);
    if (failed && options.bail) break;
  }

  // Let late errors from what the last block started surface before cleaning up.
  await new Promise((done) => setImmediate(done));
  const cleanup = await container.dispose();
  const clearedTimers = timers.clearAll();
  releaseFaults();
  result.cleanedUp = [...cleanup.cleaned, ...countTimers(clearedTimers)];
  for (const { label, error } of cleanup.errors) result.warnings.push(`cleanup of ${label} failed: ${String((error as Error)?.message ?? error)}`);
  if (fault && !failed) {
    failed = true;
    result.error = report(fault.error);
    result.error.message = `${fault.origin} after the last block: ${result.error.message}`;
  }
  result.status = failed ? 'failed' : 'passed';

  if (ranAny || updates.length) {
    try {
      result.stamped = writeBack(absolute, { stamp: options.stamp && ranAny ? { lastTested: new Date().toISOString(), lastTestPassed: !failed } : undefined, updates }, path, result.warnings);
    } catch (error) {
      result.warnings.push((error as Error).message);
    }
  }
  return finish();
}

function countTimers(nouns: string[]): string[] {
  const counts = new Map<string, number>();
  for (const noun of nouns) counts.set(noun, (counts.get(noun) ?? 0) + 1);
  return [...counts].map(([noun, count]) => `${count} ${noun}${count === 1 ? '' : 's'}`);
}

interface BlockRun {
  docDir: string;
  env: NodeJS.ProcessEnv;
  capture: OutputCapture;
  context: vm.Context;
  compiled: Map<number, CompiledBlock>;
  scriptPrefix: string;
  timeoutMs: number;
  faults: Promise<never>;
}

async function runBlock(block: Block, run: BlockRun): Promise<unknown> {
  if (block.kind === 'shell') {
    await Promise.race([runShellBlock(block, { cwd: run.docDir, env: run.env, capture: run.capture, timeoutMs: run.timeoutMs }), run.faults]);
    return undefined;
  }
  const compiled = compileBlock(block, run.scriptPrefix);
  run.compiled.set(block.index, compiled);
  const script = new vm.Script(compiled.code, { filename: blockFilename(run.scriptPrefix, block.index) });
  const deadline = Date.now() + run.timeoutMs;
  let timer: NodeJS.Timeout | undefined;
  let disarm = (): void => {};
  // A timer catches a block that waits too long; the watchdog one that never yields.
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(timeoutError(run.timeoutMs)), Math.max(deadline - Date.now(), 0));
    if (compiled.isAsync) disarm = watchdog().arm(run.timeoutMs, () => reject(timeoutError(run.timeoutMs)));
  });
  timeout.catch(() => {});
  try {
    let value: unknown;
    try {
      value = script.runInContext(run.context, { timeout: run.timeoutMs, displayErrors: false });
    } catch (error) {
      if (hasCode(error, 'ERR_SCRIPT_EXECUTION_TIMEOUT')) throw timeoutError(run.timeoutMs);
      throw error;
    }
    if (!compiled.isAsync) return value;
    return await Promise.race([value as Promise<unknown>, timeout, run.faults]);
  } finally {
    disarm();
    clearTimeout(timer);
  }
}
