import type { z } from 'zod';
import { Feature } from '../../container/feature.js';
import { runbookError } from '../../errors.js';
import type { EventMap } from '../../container/emitter.js';
import type { ChatEvents, ChatMessage, ChatSession, ChatTool } from './chat-session.js';
import type { Interceptor } from './interceptor-chain.js';

/** What conversation and assistant share: a chat session, its tools, interceptors and events. */
export abstract class ChatFeature<O extends object, Events extends EventMap<Events> = ChatEvents> extends Feature<O, Record<string, unknown>, Events> {
  abstract readonly session: ChatSession;

  /** Tools the model may call, by name. */
  get tools(): Record<string, ChatTool> {
    return Object.fromEntries(this.session.tools);
  }

  /** The messages so far, system prompt included. */
  get messages(): ChatMessage[] {
    return this.session.messages;
  }

  /** Lets the model call `handler(args)`; `description` defaults to the schema's `.describe()`. */
  addTool(name: string, schema: z.ZodType, handler: (args: any) => unknown, description?: string): this {
    addSessionTool(this.session, name, schema, handler, description);
    return this;
  }

  /** Adds middleware `(ctx, next)` at beforeAsk, beforeTurn, beforeToolCall, afterToolCall or beforeResponse. */
  intercept(point: string, interceptor: Interceptor<any>): this {
    this.session.interceptors.add(point, interceptor);
    return this;
  }
}

/** Validates and registers one tool on a chat session (shared by conversation and assistant). */
export function addSessionTool(session: ChatSession, name: string, schema: z.ZodType, handler: (args: any) => unknown, description?: string): void {
  if (typeof name !== 'string' || !/^[a-zA-Z0-9_-]{1,64}$/.test(name)) {
    throw runbookError('RUNBOOK_INVALID_OPTIONS', `A tool name must be 1-64 letters, digits, "_" or "-", got ${JSON.stringify(name)}.`);
  }
  if (typeof (schema as { safeParse?: unknown } | null)?.safeParse !== 'function') {
    throw runbookError('RUNBOOK_INVALID_OPTIONS', `addTool('${name}', schema, handler) needs a zod schema such as z.object({ … }), got ${schema === null ? 'null' : typeof schema}.`);
  }
  if (typeof handler !== 'function') {
    throw runbookError('RUNBOOK_INVALID_OPTIONS', `addTool('${name}', schema, handler) needs a handler function, got ${handler === null ? 'null' : typeof handler}.`);
  }
  session.tools.set(name, { description: description ?? schema.description ?? '', schema, handler });
}
