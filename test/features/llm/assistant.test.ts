import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { Feature } from '../../../src/container/feature.js';
import type { Assistant } from '../../../src/features/llm/assistant.js';
import { jsonError, useScriptedLlm } from '../../support/llm-env.js';

const { state, container } = useScriptedLlm({ smart: false });

// A tiny feature with tools, standing in for processManager: use() must be generic.
class Calculator extends Feature {
  static override readonly featureName = 'calculator';
  static readonly tools = {
    add: { description: 'Adds two numbers.', schema: z.object({ a: z.number(), b: z.number() }) },
    divide: { description: 'Divides a by b.', schema: z.object({ a: z.number(), b: z.number() }) },
  };
  static readonly systemPromptGuidance = 'Use the calculator tools for arithmetic.';
  add({ a, b }: { a: number; b: number }) {
    return { sum: a + b };
  }
  divide({ a, b }: { a: number; b: number }) {
    if (b === 0) throw new Error('cannot divide by zero');
    return a / b;
  }
}

function assistant(options: object = {}): Assistant {
  const made = container();
  made.register(Calculator);
  const created = made.feature<Assistant>('assistant', { systemPrompt: 'You do maths.', model: 'test-model', ...options });
  return created.use(made.feature('calculator'));
}

describe('assistant tools', () => {
  it('use(feature) adds its tools and guidance; start() sets the system prompt', async () => {
    const helper = assistant();
    await helper.start();
    expect(Object.keys(helper.tools)).toEqual(['add', 'divide']);
    expect(helper.messages[0]).toEqual({ role: 'system', content: 'You do maths.\n\nUse the calculator tools for arithmetic.' });
  });

  it('runs several tool calls in one turn, reports a throwing tool as a result, then answers', async () => {
    state.server.reply(
      {
        toolCalls: [
          { name: 'add', arguments: { a: 2, b: 3 } },
          { name: 'divide', arguments: { a: 1, b: 0 } },
          { name: 'nope', arguments: {} },
          { name: 'add', arguments: '{not json' },
          { name: 'add', arguments: { a: 'x' } },
        ],
      },
      { text: '2+3 is 5; dividing by zero is not possible.' },
    );
    const helper = assistant();
    const events: string[] = [];
    helper.on('toolResult', ({ name, error }: { name: string; error?: string }) => events.push(`${name}:${error ?? 'ok'}`));
    expect(await helper.ask('2+3 and 1/0?')).toBe('2+3 is 5; dividing by zero is not possible.');
    const sent = state.server.requests[0].body;
    expect(sent.tools?.map((t) => t.function.name)).toEqual(['add', 'divide']);
    expect(sent.tools?.[0].function).toEqual({
      name: 'add',
      description: 'Adds two numbers.',
      parameters: { type: 'object', properties: { a: { type: 'number' }, b: { type: 'number' } }, required: ['a', 'b'] },
    });
    const results = state.server.requests[1].body.messages.filter((m) => m.role === 'tool').map((m) => m.content);
    expect(results).toEqual([
      '{"sum":5}',
      'Error: cannot divide by zero',
      'Error: there is no tool named "nope". Available tools: add, divide.',
      `Error: the arguments are not valid JSON (${jsonError('{not json')}): {not json`,
      'Error: invalid arguments for add: \'a\' expected number, got "x" (string); \'b\' expected number, got undefined',
    ]);
    expect(events).toEqual(['add:ok', 'divide:cannot divide by zero', expect.stringMatching(/^nope:/), expect.stringMatching(/^add:the arguments/), expect.stringMatching(/^add:invalid/)]);
  });

  it('ends a tool loop at the turn limit with a clear error', async () => {
    const loop = () => ({ toolCalls: [{ name: 'add', arguments: { a: 1, b: 1 } }] });
    state.server.reply(loop, loop, loop);
    await expect(assistant().ask('loop forever', { maxTurns: 3 })).rejects.toThrow(
      "The model was still calling tools after 3 turns (last: add). Raise the limit with ask(question, { maxTurns }) or the feature's maxTurns option, or make the question narrower.",
    );
    expect(state.server.requests).toHaveLength(3);
  });

  it('addTool registers a tool with a handler, described by the schema', async () => {
    state.server.reply({ toolCalls: [{ name: 'shout', arguments: { text: 'hi' } }] }, { text: 'done' });
    const helper = container().feature<Assistant>('assistant', { model: 'm' });
    helper.addTool('shout', z.object({ text: z.string() }).describe('Upper-cases text'), ({ text }) => text.toUpperCase());
    await helper.ask('shout hi');
    expect(state.server.requests[0].body.tools?.[0].function.description).toBe('Upper-cases text');
    expect(state.server.requests[1].body.messages.at(-1)?.content).toBe('HI');
  });

  it('structured output works through the assistant after tool calls', async () => {
    state.server.reply({ toolCalls: [{ name: 'add', arguments: { a: 1, b: 2 } }] }, { json: { answer: 3 } });
    const result = await assistant().ask('1+2?', { schema: z.object({ answer: z.number() }).describe('Answer') });
    expect(result).toEqual({ answer: 3 });
    expect(state.server.requests.every((r) => r.body.response_format?.type === 'json_schema')).toBe(true);
  });

  it('use() rejects what it cannot use', () => {
    const helper = container().feature<Assistant>('assistant', {});
    expect(() => helper.use(42)).toThrow(
      "assistant.use() takes a feature (e.g. container.feature('processManager')), a feature name, a plugin function or { tools, systemPromptGuidance }, got number.",
    );
    expect(() => helper.addTool('bad name', z.object({}), () => 1)).toThrow('A tool name must be 1-64 letters, digits, "_" or "-", got "bad name".');
  });

  it('use() takes plugin objects and functions', async () => {
    const helper = container().feature<Assistant>('assistant', { systemPrompt: 'Base.' });
    helper.use({ tools: { ping: { description: 'Pings.', schema: z.object({}), handler: () => 'pong' } }, systemPromptGuidance: 'Ping when asked.' });
    helper.use((self: Assistant) => self.addTool('echo', z.object({ v: z.string() }), ({ v }) => v));
    await helper.start();
    expect(Object.keys(helper.tools)).toEqual(['ping', 'echo']);
    expect(helper.systemPrompt).toBe('Base.\n\nPing when asked.');
  });
});
