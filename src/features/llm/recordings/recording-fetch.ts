import { runbookError } from '../../../errors.js';
import { nearestDiff } from './diff.js';
import { keyedPart, looseRequestKey, requestKey, type KeyedRequest } from './key.js';
import { scrubValue } from './scrub.js';
import { displayPath, saveRecording, type RecordedExchange } from './store.js';

type FetchLike = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;

/** One doc's recording: shared by every conversation and assistant in that doc. */
export interface RecordingSession {
  mode: 'record' | 'replay';
  /** Where the recording lives. */
  path: string;
  /** The doc, as the user would type it in the record command. */
  docPath: string;
  exchanges: RecordedExchange[];
  /** Replayed exchanges, so a request made twice gets its answers in order. */
  used: Set<number>;
  /** Values to mask (API key, secret env values). */
  secrets: string[];
  /** True when the recording file existed before this run. */
  existed: boolean;
}

function requestBody(init: RequestInit | undefined): Record<string, unknown> | null {
  if (typeof init?.body !== 'string') return null;
  try {
    const parsed: unknown = JSON.parse(init.body);
    return parsed && typeof parsed === 'object' ? (parsed as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

// "data: {...}\n\n" blocks → their payloads; comments and other fields are not needed to replay.
function sseEvents(text: string): string[] {
  return text
    .split(/\r?\n\r?\n/)
    .map((block) =>
      block
        .split(/\r?\n/)
        .filter((line) => line.startsWith('data:'))
        .map((line) => line.slice(5).replace(/^ /, ''))
        .join('\n'),
    )
    .filter((payload) => payload.length > 0);
}

function scrubEvent(payload: string, secrets: string[]): string {
  try {
    return JSON.stringify(scrubValue(JSON.parse(payload), secrets));
  } catch {
    return scrubValue(payload, secrets);
  }
}

async function recordExchange(session: RecordingSession, request: KeyedRequest, response: Response): Promise<Response> {
  const contentType = response.headers.get('content-type') ?? 'application/json';
  const base = { key: requestKey(request), looseKey: looseRequestKey(request), request };
  const save = (recorded: RecordedExchange['response']): void => {
    session.exchanges.push({ ...base, response: recorded });
    saveRecording(session.path, session.exchanges);
  };
  if (contentType.includes('text/event-stream') && response.body) {
    const reader = response.body.getReader();
    const decoder = new TextDecoder();
    let text = '';
    // Pass every chunk straight through while keeping a copy; save when the stream ends.
    const body = new ReadableStream<Uint8Array>({
      async pull(controller) {
        const { done, value } = await reader.read();
        if (done) {
          text += decoder.decode();
          save({ status: response.status, contentType, events: sseEvents(text).map((e) => scrubEvent(e, session.secrets)) });
          controller.close();
          return;
        }
        text += decoder.decode(value, { stream: true });
        controller.enqueue(value);
      },
      cancel(reason) {
        return reader.cancel(reason);
      },
    });
    return new Response(body, { status: response.status, headers: { 'content-type': contentType } });
  }
  const text = await response.text();
  let json: unknown = text;
  try {
    json = JSON.parse(text);
  } catch {
    // Not JSON: keep the text as it came.
  }
  save({ status: response.status, contentType, body: scrubValue(json, session.secrets) });
  return new Response(text, { status: response.status, headers: { 'content-type': contentType } });
}

function replayResponse(exchange: RecordedExchange): Response {
  const { status, contentType, body, events } = exchange.response;
  if (events) {
    const encoder = new TextEncoder();
    let index = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (index >= events.length) return controller.close();
        controller.enqueue(encoder.encode(`data: ${events[index++]}\n\n`));
      },
    });
    return new Response(stream, { status, headers: { 'content-type': contentType } });
  }
  return new Response(typeof body === 'string' ? body : JSON.stringify(body), { status, headers: { 'content-type': contentType } });
}

// Exact match first, then one that differs only in tool results; unused ones before reused ones.
function findExchange(session: RecordingSession, request: KeyedRequest): number {
  const key = requestKey(request);
  const loose = looseRequestKey(request);
  const tiers: ((e: RecordedExchange, i: number) => boolean)[] = [
    (e, i) => e.key === key && !session.used.has(i),
    (e, i) => e.looseKey === loose && !session.used.has(i),
    (e) => e.key === key,
    (e) => e.looseKey === loose,
  ];
  for (const matches of tiers) {
    const index = session.exchanges.findIndex(matches);
    if (index >= 0) return index;
  }
  return -1;
}

async function replayMiss(session: RecordingSession, request: KeyedRequest): Promise<Error> {
  const command = `npx runbook run ${displayPath(session.docPath)} --llm record`;
  if (!session.existed) {
    return runbookError(
      'RUNBOOK_LLM_REPLAY_MISS',
      `No LLM recording for this doc: ${displayPath(session.path)} does not exist (--llm replay). To record it (needs OPENAI_API_KEY), run: ${command}`,
    );
  }
  const nearest = await nearestDiff(request, session.exchanges.map((e) => e.request));
  const diff = nearest ? `\nNearest recorded request (#${nearest.index + 1}), "-" recorded, "+" this request:\n${nearest.text}\n` : '\n';
  return runbookError(
    'RUNBOOK_LLM_REPLAY_MISS',
    `No recorded LLM answer matches this request (${session.exchanges.length} exchanges in ${displayPath(session.path)}).${diff}The doc or its prompts changed since recording. To record again, run: ${command}`,
  );
}

/**
 * A `fetch` for the openai client that records exchanges to, or replays them
 * from, the doc's recording. Requests are keyed by their scrubbed content.
 */
export function recordingFetch(session: RecordingSession, realFetch: FetchLike = globalThis.fetch): FetchLike {
  return async (input, init) => {
    const body = requestBody(init);
    if (!body) return realFetch(input, init);
    const request = keyedPart(scrubValue(body, session.secrets));
    if (session.mode === 'record') {
      const response = await realFetch(input, init);
      // Failed calls are not worth replaying: the caller sees the error and fixes the setup.
      if (!response.ok) return response;
      return recordExchange(session, request, response);
    }
    const index = findExchange(session, request);
    if (index < 0) throw await replayMiss(session, request);
    session.used.add(index);
    return replayResponse(session.exchanges[index]);
  };
}
