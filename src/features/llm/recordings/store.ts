import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, relative } from 'node:path';
import { runbookError } from '../../../errors.js';
import type { KeyedRequest } from './key.js';

/** One recorded exchange. A streamed answer keeps its SSE events, replayed one by one. */
export interface RecordedExchange {
  key: string;
  looseKey: string;
  request: KeyedRequest;
  response: {
    status: number;
    contentType: string;
    /** The JSON body of a plain answer. */
    body?: unknown;
    /** The `data:` payloads of a streamed answer, in order (including "[DONE]"). */
    events?: string[];
  };
}

export interface RecordingFile {
  version: 1;
  note: string;
  exchanges: RecordedExchange[];
}

/** `docs/x.md` → `docs/__recordings__/x.llm.json` */
export function recordingPathFor(docPath: string): string {
  return join(dirname(docPath), '__recordings__', `${basename(docPath).replace(/\.(md|markdown)$/i, '')}.llm.json`);
}

/** The recording path as the user should see it: relative to the working directory. */
export function displayPath(path: string): string {
  const rel = relative(process.cwd(), path);
  return rel && !rel.startsWith('..') ? rel : path;
}

/** Reads a recording; a missing file is an empty one, a corrupt file a clear error. */
export function loadRecording(path: string): RecordingFile {
  if (!existsSync(path)) return { version: 1, note: '', exchanges: [] };
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw runbookError(
      'RUNBOOK_LLM_RECORDING_INVALID',
      `The LLM recording ${displayPath(path)} is not valid JSON (${(error as Error).message}). Delete it and record again with --llm record.`,
      { cause: error },
    );
  }
  const file = parsed as Partial<RecordingFile>;
  if (file.version !== 1 || !Array.isArray(file.exchanges)) {
    throw runbookError(
      'RUNBOOK_LLM_RECORDING_INVALID',
      `The LLM recording ${displayPath(path)} has an unknown format (version ${JSON.stringify(file.version)}). Delete it and record again with --llm record.`,
    );
  }
  return file as RecordingFile;
}

/** Writes the whole recording atomically (temp file + rename), so a killed run never leaves half a file. */
export function saveRecording(path: string, exchanges: RecordedExchange[]): void {
  mkdirSync(dirname(path), { recursive: true });
  const file: RecordingFile = {
    version: 1,
    note: 'LLM exchanges recorded by `runbook run --llm record`; replayed offline. Secrets are scrubbed.',
    exchanges,
  };
  const temp = `${path}.${process.pid}.tmp`;
  writeFileSync(temp, `${JSON.stringify(file, null, 2)}\n`);
  renameSync(temp, path);
}
