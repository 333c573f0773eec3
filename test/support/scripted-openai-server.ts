import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { smartReply } from './scripted-openai-smart.js';

/** One canned answer. A function computes it from the request it answers. */
export type ScriptedReply =
  | { text: string }
  | { toolCalls: { name: string; arguments: unknown }[] }
  | { json: unknown }
  | { refusal: string }
  | { status: number; error: string }
  | ((request: ChatBody) => ScriptedReply);

export interface ChatBody {
  model: string;
  messages: { role: string; content: unknown; tool_calls?: { id: string; function: { name: string; arguments: string } }[]; tool_call_id?: string }[];
  tools?: { type: string; function: { name: string; description?: string; parameters?: Record<string, unknown> } }[];
  response_format?: { type: string; json_schema?: { name: string; strict?: boolean; schema: Record<string, unknown> } };
  stream?: boolean;
  [key: string]: unknown;
}

export interface LoggedRequest {
  method: string;
  path: string;
  authorization: string | undefined;
  body: ChatBody;
  /** The body exactly as received. */
  raw: string;
}

export interface ScriptedServerOptions {
  /** Answers in order; when they run out, `smart` answers (or an error if it is off). */
  replies?: ScriptedReply[];
  /** Answer from the request itself: objects fitting json_schema requests, plausible tool calls, summaries. Default true. */
  smart?: boolean;
  /** When set, any other bearer token gets a 401. */
  apiKey?: string;
}

export interface ScriptedServer {
  /** For the openai client's baseURL / OPENAI_BASE_URL: http://127.0.0.1:PORT/v1 */
  baseURL: string;
  port: number;
  requests: LoggedRequest[];
  /** Queues more answers. */
  reply(...replies: ScriptedReply[]): void;
  close(): Promise<void>;
}

let counter = 0;
const nextId = (prefix: string): string => `${prefix}_${(++counter).toString(36).padStart(6, '0')}`;

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let data = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (data += chunk));
    req.on('end', () => resolve(data));
    req.on('error', reject);
  });
}

interface Answer {
  content: string | null;
  refusal: string | null;
  toolCalls: { id: string; type: 'function'; function: { name: string; arguments: string } }[];
}

function toAnswer(reply: Exclude<ScriptedReply, Function | { status: number }>): Answer {
  if ('text' in reply) return { content: reply.text, refusal: null, toolCalls: [] };
  if ('json' in reply) return { content: JSON.stringify(reply.json), refusal: null, toolCalls: [] };
  if ('refusal' in reply) return { content: null, refusal: reply.refusal, toolCalls: [] };
  return {
    content: null,
    refusal: null,
    toolCalls: reply.toolCalls.map((call) => ({
      id: nextId('call'),
      type: 'function',
      function: { name: call.name, arguments: typeof call.arguments === 'string' ? call.arguments : JSON.stringify(call.arguments ?? {}) },
    })),
  };
}

function sendPlain(res: ServerResponse, body: ChatBody, answer: Answer): void {
  const message: Record<string, unknown> = { role: 'assistant', content: answer.content, refusal: answer.refusal };
  if (answer.toolCalls.length) message.tool_calls = answer.toolCalls;
  const completion = {
    id: nextId('chatcmpl'),
    object: 'chat.completion',
    created: 1_700_000_000,
    model: body.model,
    choices: [{ index: 0, message, finish_reason: answer.toolCalls.length ? 'tool_calls' : 'stop', logprobs: null }],
    usage: { prompt_tokens: 10, completion_tokens: 10, total_tokens: 20 },
  };
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end(JSON.stringify(completion));
}

// Splits text into a few pieces, so streaming clients really see several chunks.
function pieces(text: string, count = 3): string[] {
  const size = Math.max(1, Math.ceil(text.length / count));
  const out: string[] = [];
  for (let i = 0; i < text.length; i += size) out.push(text.slice(i, i + size));
  return out;
}

function sendStream(res: ServerResponse, body: ChatBody, answer: Answer): void {
  const id = nextId('chatcmpl');
  const chunk = (delta: Record<string, unknown>, finish: string | null = null): string =>
    `data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created: 1_700_000_000, model: body.model, choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`;
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
  res.write(chunk({ role: 'assistant', content: '' }));
  for (const piece of pieces(answer.content ?? '')) res.write(chunk({ content: piece }));
  if (answer.refusal) res.write(chunk({ refusal: answer.refusal }));
  answer.toolCalls.forEach((call, index) => {
    res.write(chunk({ tool_calls: [{ index, id: call.id, type: 'function', function: { name: call.function.name, arguments: '' } }] }));
    for (const piece of pieces(call.function.arguments, 2)) res.write(chunk({ tool_calls: [{ index, function: { arguments: piece } }] }));
  });
  res.write(chunk({}, answer.toolCalls.length ? 'tool_calls' : 'stop'));
  res.end('data: [DONE]\n\n');
}

function sendError(res: ServerResponse, status: number, message: string): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ error: { message, type: 'scripted_error', code: status === 401 ? 'invalid_api_key' : null } }));
}

/**
 * A real HTTP server on 127.0.0.1 that speaks enough of the Chat Completions
 * API (plain and SSE) for the openai client, answering from a script.
 */
export async function startScriptedOpenAI(options: ScriptedServerOptions = {}): Promise<ScriptedServer> {
  const queue: ScriptedReply[] = [...(options.replies ?? [])];
  const smart = options.smart ?? true;
  const requests: LoggedRequest[] = [];
  const server: Server = createServer(async (req, res) => {
    const raw = await readBody(req);
    const path = (req.url ?? '').split('?')[0];
    let body: ChatBody;
    try {
      body = JSON.parse(raw || '{}') as ChatBody;
    } catch {
      return sendError(res, 400, 'body is not JSON');
    }
    requests.push({ method: req.method ?? '', path, authorization: req.headers.authorization, body, raw });
    if (options.apiKey !== undefined && req.headers.authorization !== `Bearer ${options.apiKey}`) {
      return sendError(res, 401, 'Incorrect API key provided.');
    }
    if (req.method !== 'POST' || !path.endsWith('/chat/completions')) return sendError(res, 404, `no route ${req.method} ${path}`);
    let next: ScriptedReply | undefined = queue.shift();
    while (typeof next === 'function') next = next(body);
    if (!next && smart) next = smartReply(body);
    const reply = next as Exclude<ScriptedReply, Function> | undefined;
    if (!reply) return sendError(res, 500, 'the scripted server ran out of replies');
    if ('status' in reply) return sendError(res, reply.status, reply.error);
    const answer = toAnswer(reply);
    if (body.stream) sendStream(res, body, answer);
    else sendPlain(res, body, answer);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseURL: `http://127.0.0.1:${port}/v1`,
    port,
    requests,
    reply: (...replies) => queue.push(...replies),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
