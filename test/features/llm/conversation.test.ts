import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { Conversation } from '../../../src/features/llm/conversation.js';
import { jsonError, useScriptedLlm } from '../../support/llm-env.js';

const { state, container } = useScriptedLlm({ smart: false });

function conversation(options: object = {}): Conversation {
  return container().feature<Conversation>('conversation', { model: 'test-model', ...options });
}

describe('conversation over the openai client', () => {
  it('sends the history and the question, returns the text and keeps history across asks', async () => {
    state.server.reply({ text: 'Paris.' }, { text: 'About 2 million.' });
    const chat = conversation({ history: [{ role: 'system', content: 'Be brief.' }] });
    expect(await chat.ask('Capital of France?')).toBe('Paris.');
    expect(await chat.ask('Its population?')).toBe('About 2 million.');
    const second = state.server.requests[1];
    expect(second.path).toBe('/v1/chat/completions');
    expect(second.body.model).toBe('test-model');
    expect(second.body.messages.map((m) => [m.role, m.content])).toEqual([
      ['system', 'Be brief.'],
      ['user', 'Capital of France?'],
      ['assistant', 'Paris.'],
      ['user', 'Its population?'],
    ]);
  });

  it('returns a parsed object for { schema }, sending a strict json_schema', async () => {
    state.server.reply({ json: { city: 'Paris', population: 2.1, tags: ['capital'] } });
    const schema = z.object({ city: z.string(), population: z.number(), tags: z.array(z.string()), note: z.string().optional() }).describe('CityFacts');
    const result = await conversation().ask('Facts about Paris', { schema });
    expect(result).toEqual({ city: 'Paris', population: 2.1, tags: ['capital'] });
    const format = state.server.requests[0].body.response_format;
    expect(format).toEqual({
      type: 'json_schema',
      json_schema: {
        name: 'CityFacts',
        strict: true,
        schema: {
          type: 'object',
          description: 'CityFacts',
          properties: {
            city: { type: 'string' },
            population: { type: 'number' },
            tags: { type: 'array', items: { type: 'string' } },
            note: { type: ['string', 'null'] },
          },
          required: ['city', 'population', 'tags', 'note'],
          additionalProperties: false,
        },
      },
    });
  });

  it('drops the null the strict schema forced into an optional field', async () => {
    state.server.reply({ json: { name: 'x', nickname: null } });
    const schema = z.object({ name: z.string(), nickname: z.string().optional() }).describe('Person');
    expect(await conversation().ask('who?', { schema })).toEqual({ name: 'x' });
  });

  it('reports a refusal, invalid JSON and a schema mismatch, quoting the answer', async () => {
    const schema = z.object({ score: z.number() }).describe('Score');
    state.server.reply({ refusal: 'I cannot help with that.' }, { text: 'score: high' }, { json: { score: 'high' } });
    const chat = conversation();
    await expect(chat.ask('rate it', { schema })).rejects.toThrow(
      'The model refused to answer with the Score schema: "I cannot help with that.". Rephrase the question or relax the schema.',
    );
    await expect(chat.ask('rate it', { schema })).rejects.toThrow(
      `The model's answer for the Score schema is not valid JSON (${jsonError('score: high')}); it answered "score: high". Check that the endpoint supports response_format json_schema.`,
    );
    await expect(chat.ask('rate it', { schema })).rejects.toThrow(
      `The model's answer does not match the Score schema: 'score' expected number, got "high" (string); it answered "{\\"score\\":\\"high\\"}". Check that the endpoint supports strict json_schema output.`,
    );
  });

  it('streams: emits chunk events and returns the whole text', async () => {
    state.server.reply({ text: 'one two three four five six' });
    const chat = conversation({ stream: true });
    const chunks: string[] = [];
    chat.on('chunk', (text: string) => chunks.push(text));
    expect(await chat.ask('count')).toBe('one two three four five six');
    expect(chunks.length).toBeGreaterThan(1);
    expect(chunks.join('')).toBe('one two three four five six');
    expect(state.server.requests[0].body.stream).toBe(true);
  });

  it('streams tool calls and structured output too', async () => {
    state.server.reply({ toolCalls: [{ name: 'add', arguments: { a: 2, b: 3 } }] }, { json: { sum: 5 } });
    const chat = conversation({ stream: true });
    chat.addTool('add', z.object({ a: z.number(), b: z.number() }).describe('Adds two numbers'), ({ a, b }) => a + b);
    expect(await chat.ask('2+3?', { schema: z.object({ sum: z.number() }).describe('Sum') })).toEqual({ sum: 5 });
    expect(state.server.requests[1].body.messages.at(-1)).toMatchObject({ role: 'tool', content: '5' });
  });

  it('rejects a question that is not a string', async () => {
    await expect(conversation().ask(42 as never)).rejects.toThrow('ask(question) needs a non-empty string question, got 42.');
  });

  it('validates its options', () => {
    expect(() => container().feature('conversation', { model: 5 })).toThrow(
      "Invalid options for feature 'conversation': 'model' expected string, got 5 (number).",
    );
  });
});
