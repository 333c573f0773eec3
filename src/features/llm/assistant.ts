import * as z from 'zod';
import { Feature, type ToolDefinition } from '../../container/feature.js';
import { runbookError } from '../../errors.js';
import { captureCallSite, withCallSite } from '../../call-site.js';
import { ChatSession, type AskOptions, type ChatEvents } from './chat-session.js';
import { ChatFeature } from './chat-feature.js';
import { chatOptionsShape } from './conversation.js';
import { lazy } from '../../container/lazy.js';

const optionsSchema = lazy(() =>
  z
    .object({
      ...chatOptionsShape(),
      /** Who the assistant is and how it answers; used features add their guidance below it. */
      systemPrompt: z.string().default('You are a helpful assistant.'),
    })
    .strict()
);

export type AssistantOptions = z.output<ReturnType<typeof optionsSchema>>;

/** A plugin: a function given the assistant, or an object of tools (with handlers) and guidance. */
export type AssistantPlugin =
  | ((assistant: Assistant) => unknown)
  | { tools?: Record<string, { description?: string; schema: z.ZodType; handler: (args: any) => unknown }>; systemPromptGuidance?: string };

interface ToolOwner {
  constructor: { featureName?: string; tools?: Record<string, ToolDefinition>; systemPromptGuidance?: string };
  isEnabled?: boolean;
  enable?: () => unknown;
  [method: string]: unknown;
}

function isFeatureLike(value: unknown): value is ToolOwner {
  return typeof value === 'object' && value !== null && typeof (value as { constructor?: { featureName?: unknown } }).constructor?.featureName === 'string';
}

/** The assistant's events: a conversation's, and `started` once start() has set it up. */
export interface AssistantEvents extends ChatEvents {
  started: [];
}

/**
 * A conversation with a system prompt and tools taken from features:
 * `assistant.use(container.feature('processManager'))` lets the model call
 * that feature's tools. Ask with `{ schema }` for a validated object.
 */
export class Assistant extends ChatFeature<AssistantOptions, AssistantEvents> {
  static override readonly featureName = 'assistant';
  static override readonly description = 'An assistant over an OpenAI-compatible model that can use features as tools.';
  static override get optionsSchema() {
    return optionsSchema();
  }
  readonly session: ChatSession;
  #guidance: string[] = [];
  #pending: unknown[] = [];
  #used: ToolOwner[] = [];
  #started = false;

  constructor(container: ConstructorParameters<typeof Feature>[0], options: AssistantOptions, name: string) {
    super(container, options, name);
    this.session = new ChatSession(this, options);
  }


  get isStarted(): boolean {
    return this.#started;
  }

  /** The system prompt plus the guidance of every used feature. */
  get systemPrompt(): string {
    return [this.options.systemPrompt, ...this.#guidance].join('\n\n');
  }

  /**
   * Adds a feature's static `tools` (handlers: its methods of the same names)
   * and `systemPromptGuidance`; a feature name, a plugin function or a plugin object work too.
   */
  use(featureOrPlugin: unknown): this {
    const target = typeof featureOrPlugin === 'string' ? this.container.feature(featureOrPlugin) : featureOrPlugin;
    if (typeof target === 'function') {
      this.#pending.push(target(this));
    } else if (isFeatureLike(target)) {
      this.#useFeature(target);
    } else if (target && typeof target === 'object' && ('tools' in target || 'systemPromptGuidance' in target)) {
      const plugin = target as Exclude<AssistantPlugin, Function>;
      for (const [name, tool] of Object.entries(plugin.tools ?? {})) this.addTool(name, tool.schema, tool.handler, tool.description);
      if (plugin.systemPromptGuidance) this.#addGuidance(plugin.systemPromptGuidance);
    } else {
      throw runbookError(
        'RUNBOOK_INVALID_OPTIONS',
        `assistant.use() takes a feature (e.g. container.feature('processManager')), a feature name, a plugin function or { tools, systemPromptGuidance }, got ${target === null ? 'null' : typeof target}.`,
      );
    }
    return this;
  }


  /** Enables used features, finishes plugins and sets the system prompt. ask() calls it when needed. */
  async start(): Promise<this> {
    await Promise.all(this.#pending.splice(0));
    for (const owner of this.#used) if (owner.isEnabled === false && typeof owner.enable === 'function') await owner.enable();
    await this.enable();
    this.#syncSystemPrompt();
    this.#started = true;
    this.emit('started');
    return this;
  }

  ask(question: string, options?: AskOptions): Promise<any> {
    return withCallSite(captureCallSite(this.ask), this.#ask(question, options));
  }

  async #ask(question: string, options?: AskOptions): Promise<any> {
    if (!this.#started || this.#pending.length > 0) await this.start();
    return this.session.ask(question, options);
  }

  #useFeature(owner: ToolOwner): void {
    const meta = owner.constructor;
    const tools = meta.tools ?? {};
    if (Object.keys(tools).length === 0 && !meta.systemPromptGuidance) {
      throw runbookError('RUNBOOK_INVALID_OPTIONS', `assistant.use(${meta.featureName}): that feature declares no tools and no systemPromptGuidance, so there is nothing to use.`);
    }
    for (const [name, definition] of Object.entries(tools)) {
      const method = owner[name];
      if (typeof method !== 'function') {
        throw runbookError('RUNBOOK_INVALID_OPTIONS', `Feature '${meta.featureName}' declares the tool '${name}' but has no method '${name}' to handle it.`);
      }
      this.addTool(name, definition.schema, (args) => (method as (a: unknown) => unknown).call(owner, args), definition.description);
    }
    if (meta.systemPromptGuidance) this.#addGuidance(meta.systemPromptGuidance);
    this.#used.push(owner);
  }

  #addGuidance(text: string): void {
    if (!this.#guidance.includes(text)) this.#guidance.push(text);
    if (this.#started) this.#syncSystemPrompt();
  }

  // The system prompt is the first message; rewritten in place so history stays.
  #syncSystemPrompt(): void {
    const first = this.session.messages[0];
    if (first?.role === 'system') first.content = this.systemPrompt;
    else this.session.messages.unshift({ role: 'system', content: this.systemPrompt });
  }
}
