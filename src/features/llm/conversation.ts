import * as z from 'zod';
import { captureCallSite, withCallSite } from '../../call-site.js';
import type { Feature } from '../../container/feature.js';
import { ChatFeature } from './chat-feature.js';
import { ChatSession, type AskOptions, type ChatMessage } from './chat-session.js';
import { lazy } from '../../container/lazy.js';

const messageSchema = lazy(() =>
  z
    .object({
      role: z.enum(['system', 'developer', 'user', 'assistant', 'tool']),
      content: z.union([z.string(), z.null(), z.array(z.unknown())]),
    })
    .loose()
);

const toolSchema = lazy(() =>
  z.object({
    description: z.string().default(''),
    schema: z.custom<z.ZodType>((value) => typeof (value as { safeParse?: unknown } | null)?.safeParse === 'function', {
      message: 'expected a zod schema',
    }),
    handler: z.custom<(args: any) => unknown>((value) => typeof value === 'function', { message: 'expected a function' }),
  })
);

export const chatOptionsShape = lazy(() => ({
  /** Model name sent to the endpoint. */
  model: z.string().min(1).default('gpt-4.1-mini'),
  /** Most model turns (tool rounds) per ask(). */
  maxTurns: z.number().int().positive().default(10),
  /** Stream answers and emit `chunk` events. */
  stream: z.boolean().default(false),
  /** Accepted for symmetry with other features: conversations need no enabling. */
  enable: z.boolean().optional(),
}));

const optionsSchema = lazy(() =>
  z
    .object({
      ...chatOptionsShape(),
      /** Messages the conversation starts from, e.g. a system prompt. */
      history: z.array(messageSchema()).default([]),
      /** Tools by name: `{ description, schema, handler }`. */
      tools: z.record(z.string(), toolSchema()).default({}),
    })
    .strict()
);

export type ConversationOptions = z.output<ReturnType<typeof optionsSchema>>;

/**
 * A chat with an OpenAI-compatible model (`OPENAI_API_KEY`, `OPENAI_BASE_URL`)
 * that keeps its history across asks, runs tool calls, and returns parsed
 * objects when asked with `{ schema }`.
 *
 * Events (ChatEvents): `chunk` (text, when streaming), `toolCall`, `toolResult`, `turn`, `answer`.
 */
export class Conversation extends ChatFeature<ConversationOptions> {
  static override readonly featureName = 'conversation';
  static override readonly description = 'A chat with an OpenAI-compatible model: history, tools, structured output, streaming.';
  static override get optionsSchema() {
    return optionsSchema();
  }
  readonly session: ChatSession;

  constructor(container: ConstructorParameters<typeof Feature>[0], options: ConversationOptions, name: string) {
    super(container, options, name);
    this.session = new ChatSession(this, options, options.history as ChatMessage[]);
    for (const [toolName, tool] of Object.entries(options.tools)) this.addTool(toolName, tool.schema, tool.handler, tool.description);
  }


  /** Asks the model; with `{ schema }` resolves with the validated object, otherwise with the answer text. */
  ask(question: string, options?: AskOptions): Promise<any> {
    return withCallSite(captureCallSite(this.ask), this.session.ask(question, options));
  }
}
