import { existsSync } from 'node:fs';
import type OpenAI from 'openai';
import type { FeatureHost } from '../../container/feature.js';
import { runbookError } from '../../errors.js';
import { recordingFetch, type RecordingSession } from './recordings/recording-fetch.js';
import { secretValues } from './recordings/scrub.js';
import { displayPath, loadRecording, recordingPathFor } from './recordings/store.js';
import { importModule } from '../../engine/import-module.js';

export type LlmMode = 'record' | 'replay' | 'live' | 'auto';
export const llmModes: readonly LlmMode[] = ['record', 'replay', 'live', 'auto'];

/** The client a doc's conversations share, and how it reaches a model. */
export interface LlmEndpoint {
  client: OpenAI;
  mode: 'record' | 'replay' | 'live';
  /** Where requests go (shown in connection errors). */
  baseURL: string;
  session?: RecordingSession;
}

const defaultBaseURL = 'https://api.openai.com/v1';
const endpoints = new WeakMap<FeatureHost, Promise<LlmEndpoint>>();

function requestedMode(container: FeatureHost, env: NodeJS.ProcessEnv): LlmMode {
  const raw = container.settings.llm || env.RUNBOOK_LLM || 'auto';
  if (!(llmModes as readonly string[]).includes(raw)) {
    throw runbookError('RUNBOOK_USAGE', `Unknown LLM mode ${JSON.stringify(raw)} (from --llm or RUNBOOK_LLM). Use one of: ${llmModes.join(', ')}.`);
  }
  return raw as LlmMode;
}

// The doc's environment (with --env-file values) when the runner gave one.
function docEnv(container: FeatureHost): NodeJS.ProcessEnv {
  return (container.settings as { env?: NodeJS.ProcessEnv }).env ?? process.env;
}

function skip(message: string): Error {
  return runbookError('RUNBOOK_SKIP_DOC', message);
}

/** Decides record / replay / live for a doc, following DESIGN's "LLM access without a network". */
export function resolveMode(container: FeatureHost, env: NodeJS.ProcessEnv = docEnv(container)): { mode: LlmEndpoint['mode']; path?: string } {
  const requested = requestedMode(container, env);
  const docPath = container.settings.docPath;
  const path = docPath ? recordingPathFor(docPath) : undefined;
  const hasKey = Boolean(env.OPENAI_API_KEY);
  const needsKey = (mode: string): Error =>
    runbookError(
      'RUNBOOK_LLM_NO_KEY',
      `--llm ${mode} calls the LLM endpoint and needs OPENAI_API_KEY, which is not set. Set it (any non-empty value for a local server that ignores keys), or use --llm replay.`,
    );
  if (requested === 'live') {
    if (!hasKey) throw needsKey('live');
    return { mode: 'live' };
  }
  if (requested === 'record' || requested === 'replay') {
    if (!path) {
      throw runbookError('RUNBOOK_USAGE', `--llm ${requested} needs a doc to keep the recording beside, but this container has no settings.docPath.`);
    }
    if (requested === 'record' && !hasKey) throw needsKey('record');
    return { mode: requested, path };
  }
  if (path && existsSync(path)) return { mode: 'replay', path };
  const record = docPath ? ` To record one, run: npx runbook run ${displayPath(docPath)} --llm record` : '';
  if (!hasKey) throw skip(`needs an LLM: OPENAI_API_KEY is not set and there is no recording${path ? ` at ${displayPath(path)}` : ''}.${record}`);
  if (env.CI === 'true') {
    throw skip(`needs an LLM: under CI=true the auto mode never calls the live API, and there is no recording${path ? ` at ${displayPath(path)}` : ''}. Commit a recording or pass --llm live.`);
  }
  return { mode: 'live' };
}

async function createEndpoint(container: FeatureHost, env: NodeJS.ProcessEnv): Promise<LlmEndpoint> {
  const { mode, path } = resolveMode(container, env);
  const apiKey = env.OPENAI_API_KEY;
  const baseURL = (env.OPENAI_BASE_URL || defaultBaseURL).replace(/\/+$/, '');
  let session: RecordingSession | undefined;
  if (path && (mode === 'record' || mode === 'replay')) {
    const existed = existsSync(path);
    session = {
      mode,
      path,
      docPath: container.settings.docPath as string,
      // Recording starts from scratch: stale exchanges would never be replayed in order.
      exchanges: mode === 'record' ? [] : loadRecording(path).exchanges,
      used: new Set(),
      secrets: secretValues(env, [apiKey]),
      existed,
    };
  }
  const { default: OpenAIClient } = await importModule<typeof import('openai')>('openai');
  const client = new OpenAIClient({
    // Replays never reach a server, so they need no key.
    apiKey: apiKey || 'replay-needs-no-key',
    baseURL,
    // A replay miss is not a flaky network: retrying it only wastes time.
    maxRetries: mode === 'replay' ? 0 : 2,
    ...(session ? { fetch: recordingFetch(session) } : {}),
  });
  return { client, mode, baseURL, session };
}

/**
 * The doc's LLM endpoint, created on first use (the openai package loads only
 * then). Throws RUNBOOK_SKIP_DOC when there is neither a key nor a recording.
 */
export function llmEndpoint(container: FeatureHost, env: NodeJS.ProcessEnv = docEnv(container)): Promise<LlmEndpoint> {
  let endpoint = endpoints.get(container);
  if (!endpoint) {
    endpoint = createEndpoint(container, env);
    endpoints.set(container, endpoint);
  }
  return endpoint;
}

/** Turns the client's errors into ones that say what to do; our own (replay misses) pass through. */
export function explainLlmError(error: unknown, endpoint: Pick<LlmEndpoint, 'baseURL'>): unknown {
  if (!error || typeof error !== 'object') return error;
  const err = error as { status?: unknown; message?: string; cause?: { code?: unknown; message?: string }; code?: unknown };
  if (typeof err.code === 'string' && err.code.startsWith('RUNBOOK_')) return error;
  if (typeof err.cause?.code === 'string' && err.cause.code.startsWith('RUNBOOK_')) return err.cause;
  if (err.status === 401) {
    return runbookError(
      'RUNBOOK_LLM_AUTH',
      `LLM request to ${endpoint.baseURL} failed: the API key was rejected (401). Check OPENAI_API_KEY (and OPENAI_BASE_URL if the key belongs to another server).`,
      { cause: error },
    );
  }
  if (typeof err.status === 'number') {
    return runbookError('RUNBOOK_LLM_HTTP', `LLM request to ${endpoint.baseURL} failed with ${err.status}: ${err.message ?? ''}`.trim(), { cause: error });
  }
  const name = (error as { constructor?: { name?: string } }).constructor?.name ?? '';
  if (/Connection/.test(name)) {
    const detail = [err.cause?.code, (err.cause as { cause?: { code?: string } } | undefined)?.cause?.code].find((c) => typeof c === 'string');
    return runbookError(
      'RUNBOOK_LLM_UNREACHABLE',
      `Could not reach the LLM endpoint at ${endpoint.baseURL}${detail ? ` (${String(detail)})` : ''}: ${(err.message ?? 'connection failed').replace(/\.$/, '')}. Check OPENAI_BASE_URL and the network, or run offline with --llm replay.`,
      { cause: error },
    );
  }
  return error;
}
