import * as z from 'zod';
import type { FeatureHost } from '../../container/feature.js';
import { describeZodIssues } from '../../container/options.js';
import { runbookError, messageOf } from '../../errors.js';
import { InterceptorChain } from './interceptor-chain.js';
import { explainLlmError, llmEndpoint, type LlmEndpoint } from './llm-client.js';
import { parseStructured, structuredFormat, type StructuredFormat } from './structured-output.js';

/** A tool the model may call: `handler` gets the arguments parsed by `schema`. */
export interface ChatTool {
  description: string;
  schema: z.ZodType;
  handler: (args: any) => unknown;
}

export interface ToolCall {
  id: string;
  type: 'function';
  function: { name: string; arguments: string };
}

/** A Chat Completions message as sent and kept in history. */
export interface ChatMessage {
  role: 'system' | 'developer' | 'user' | 'assistant' | 'tool';
  content: string | null | unknown[];
  tool_calls?: ToolCall[];
  tool_call_id?: string;
  refusal?: string | null;
  [extra: string]: unknown;
}

/** What the model answered in one turn. */
export interface ModelMessage {
  content: string | null;
  refusal?: string | null;
  tool_calls?: ToolCall[];
}

/** The events of a conversation and an assistant, and what their listeners get. */
export interface ChatEvents {
  /** A piece of the answer's text as it streams in (only when streaming). */
  chunk: [text: string];
  /** The model asked for a tool call; `args` as the model sent them (undefined if they were not JSON). */
  toolCall: [call: { name: string; args: unknown; id: string }];
  /** A tool call ended: its result, or the error the model is told. */
  toolResult: [outcome: { name: string; args: unknown; id: string; result?: unknown; error?: string }];
  /** The model answered one turn (a tool call request or the final answer). */
  turn: [turn: { turn: number; message: ModelMessage }];
  /** ask()'s answer: the text, or the validated object when asked with `{ schema }`. */
  answer: [answer: unknown];
}

/** Options of one `ask()`. */
export interface AskOptions {
  /** A zod object schema, named with `.describe('Name')`: ask() then returns the parsed, validated object. */
  schema?: z.ZodType;
  /** Stream the answer, emitting `chunk` events with each piece of text. Default: the feature's `stream` option. */
  stream?: boolean;
  /** Most model turns (tool rounds) before giving up. Default: the feature's `maxTurns` option (10). */
  maxTurns?: number;
}

export interface ChatRequest {
  model: string;
  messages: ChatMessage[];
  tools?: { type: 'function'; function: { name: string; description: string; parameters: Record<string, unknown> } }[];
  response_format?: StructuredFormat['responseFormat'];
  stream?: true;
}

interface SessionHost {
  container: FeatureHost;
  emit<Name extends keyof ChatEvents>(event: Name, ...args: ChatEvents[Name]): boolean;
}

const maxToolResultChars = 20_000;

function toolParameters(schema: z.ZodType): Record<string, unknown> {
  const { $schema: _ignored, ...parameters } = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
  return parameters;
}

// The model reads tool results as text: strings as they are, the rest as JSON.
function toolResultText(result: unknown): string {
  let text: string;
  if (typeof result === 'string') text = result;
  else if (result === undefined) text = 'done (no result)';
  else {
    try {
      text = JSON.stringify(result) ?? String(result);
    } catch {
      text = String(result);
    }
  }
  return text.length > maxToolResultChars ? `${text.slice(0, maxToolResultChars)}… (${text.length - maxToolResultChars} more characters cut)` : text;
}

/**
 * One chat with a model: history, the tool loop, structured output, streaming
 * and interceptors. The conversation and assistant features wrap it.
 */
export class ChatSession {
  readonly messages: ChatMessage[];
  readonly tools = new Map<string, ChatTool>();
  readonly interceptors = new InterceptorChain();
  #host: SessionHost;
  #settings: { model: string; maxTurns: number; stream: boolean };

  constructor(host: SessionHost, settings: { model: string; maxTurns: number; stream: boolean }, history: ChatMessage[] = []) {
    this.#host = host;
    this.#settings = settings;
    this.messages = history.map((message) => ({ ...message }));
  }

  get model(): string {
    return this.#settings.model;
  }

  async ask(question: string, options: AskOptions = {}): Promise<any> {
    if (typeof question !== 'string' || question.length === 0) {
      throw runbookError('RUNBOOK_INVALID_OPTIONS', `ask(question) needs a non-empty string question, got ${JSON.stringify(question) ?? typeof question}.`);
    }
    const ctx: { question: string; options: AskOptions; response: unknown; messages: ChatMessage[] } = {
      question,
      options: { ...options },
      response: undefined,
      messages: this.messages,
    };
    await this.interceptors.run('beforeAsk', ctx, async () => {
      ctx.response = await this.#answer(ctx.question, ctx.options);
    });
    return ctx.response;
  }

  async #answer(question: string, options: AskOptions): Promise<unknown> {
    const format = options.schema ? structuredFormat(options.schema) : undefined;
    const maxTurns = options.maxTurns ?? this.#settings.maxTurns;
    const stream = options.stream ?? this.#settings.stream;
    const endpoint = await llmEndpoint(this.#host.container);
    this.messages.push({ role: 'user', content: question });
    let lastTools: string[] = [];
    for (let turn = 1; turn <= maxTurns; turn++) {
      const request: ChatRequest = { model: this.#settings.model, messages: [...this.messages] };
      if (this.tools.size > 0) {
        request.tools = [...this.tools].map(([name, tool]) => ({
          type: 'function',
          function: { name, description: tool.description, parameters: toolParameters(tool.schema) },
        }));
      }
      if (format) request.response_format = format.responseFormat;
      if (stream) request.stream = true;
      const turnCtx: { turn: number; request: ChatRequest; message?: ModelMessage } = { turn, request };
      await this.interceptors.run('beforeTurn', turnCtx, async () => {
        turnCtx.message = await this.#complete(endpoint, turnCtx.request);
      });
      const message = turnCtx.message;
      if (!message) {
        throw runbookError('RUNBOOK_INTERCEPTOR_NO_RESULT', `A beforeTurn interceptor skipped the model call (did not call next()) without setting ctx.message on turn ${turn}.`);
      }
      const kept: ChatMessage = { role: 'assistant', content: message.content ?? null };
      if (message.refusal) kept.refusal = message.refusal;
      if (message.tool_calls?.length) kept.tool_calls = message.tool_calls;
      this.messages.push(kept);
      this.#host.emit('turn', { turn, message });
      if (message.tool_calls?.length) {
        lastTools = message.tool_calls.map((call) => call.function.name);
        for (const call of message.tool_calls) {
          this.messages.push({ role: 'tool', tool_call_id: call.id, content: await this.#runTool(call) });
        }
        continue;
      }
      const answer = format ? parseStructured(format, message) : (message.content ?? '');
      const responseCtx = { question, response: answer, message, messages: this.messages };
      await this.interceptors.run('beforeResponse', responseCtx);
      this.#host.emit('answer', responseCtx.response);
      return responseCtx.response;
    }
    throw runbookError(
      'RUNBOOK_LLM_TURN_LIMIT',
      `The model was still calling tools after ${maxTurns} turns (last: ${lastTools.join(', ') || 'none'}). Raise the limit with ask(question, { maxTurns }) or the feature's maxTurns option, or make the question narrower.`,
    );
  }

  // A failing tool is the model's problem to handle, not the doc's: its error becomes the result.
  async #runTool(call: ToolCall): Promise<string> {
    const ctx: { name: string; args: unknown; id: string; result?: unknown; error?: string } = {
      name: call.function.name,
      args: undefined,
      id: call.id,
    };
    try {
      ctx.args = call.function.arguments ? JSON.parse(call.function.arguments) : {};
    } catch (error) {
      ctx.error = `the arguments are not valid JSON (${messageOf(error)}): ${call.function.arguments}`;
    }
    this.#host.emit('toolCall', { name: ctx.name, args: ctx.args, id: ctx.id });
    if (ctx.error === undefined) {
      await this.interceptors.run('beforeToolCall', ctx, async () => {
        const tool = this.tools.get(ctx.name);
        if (!tool) {
          ctx.error = `there is no tool named "${ctx.name}". Available tools: ${[...this.tools.keys()].join(', ') || '(none)'}.`;
          return;
        }
        const parsed = tool.schema.safeParse(ctx.args ?? {});
        if (!parsed.success) {
          ctx.error = `invalid arguments for ${ctx.name}: ${describeZodIssues(parsed.error, ctx.args ?? {}).join('; ')}`;
          return;
        }
        try {
          ctx.result = await tool.handler(parsed.data);
        } catch (error) {
          ctx.error = messageOf(error);
        }
      });
    }
    await this.interceptors.run('afterToolCall', ctx);
    this.#host.emit('toolResult', { name: ctx.name, args: ctx.args, id: ctx.id, result: ctx.result, error: ctx.error });
    return ctx.error !== undefined ? `Error: ${ctx.error}` : toolResultText(ctx.result);
  }

  async #complete(endpoint: LlmEndpoint, request: ChatRequest): Promise<ModelMessage> {
    try {
      if (!request.stream) {
        const completion = await endpoint.client.chat.completions.create(request as never);
        const message = (completion as { choices?: { message?: ModelMessage }[] }).choices?.[0]?.message;
        if (!message) throw runbookError('RUNBOOK_LLM_EMPTY', `The LLM endpoint ${endpoint.baseURL} answered without a message: ${JSON.stringify(completion).slice(0, 300)}.`);
        return message;
      }
      return await this.#completeStream(endpoint, request);
    } catch (error) {
      throw explainLlmError(error, endpoint);
    }
  }

  // Rebuilds the message from deltas; tool call pieces arrive keyed by index.
  async #completeStream(endpoint: LlmEndpoint, request: ChatRequest): Promise<ModelMessage> {
    const stream = (await endpoint.client.chat.completions.create(request as never)) as unknown as AsyncIterable<{
      choices?: { delta?: { content?: string | null; refusal?: string | null; tool_calls?: { index: number; id?: string; function?: { name?: string; arguments?: string } }[] } }[];
    }>;
    let content = '';
    let refusal = '';
    const calls: ToolCall[] = [];
    for await (const chunk of stream) {
      const delta = chunk.choices?.[0]?.delta;
      if (!delta) continue;
      if (delta.content) {
        content += delta.content;
        this.#host.emit('chunk', delta.content);
      }
      if (delta.refusal) refusal += delta.refusal;
      for (const piece of delta.tool_calls ?? []) {
        const call = (calls[piece.index] ??= { id: '', type: 'function', function: { name: '', arguments: '' } });
        if (piece.id) call.id = piece.id;
        if (piece.function?.name) call.function.name += piece.function.name;
        if (piece.function?.arguments) call.function.arguments += piece.function.arguments;
      }
    }
    const message: ModelMessage = { content: content || null };
    if (refusal) message.refusal = refusal;
    const toolCalls = calls.filter(Boolean);
    if (toolCalls.length) message.tool_calls = toolCalls;
    return message;
  }
}
