import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { Assistant } from '../../../src/features/llm/assistant.js';
import { InterceptorChain } from '../../../src/features/llm/interceptor-chain.js';
import { useScriptedLlm } from '../../support/llm-env.js';

const { state, container } = useScriptedLlm({ smart: false });

describe('InterceptorChain', () => {
  it('runs middleware in order around the core, and a missing next() short-circuits', async () => {
    const chain = new InterceptorChain();
    const order: string[] = [];
    chain.add('beforeAsk', async (_ctx, next) => {
      order.push('a-in');
      await next();
      order.push('a-out');
    });
    chain.add('beforeAsk', async (_ctx, next) => {
      order.push('b');
      await next();
    });
    await chain.run('beforeAsk', {}, () => void order.push('core'));
    expect(order).toEqual(['a-in', 'b', 'core', 'a-out']);
    chain.add('beforeTurn', () => {});
    const core: string[] = [];
    await chain.run('beforeTurn', {}, () => void core.push('ran'));
    expect(core).toEqual([]);
  });

  it('names the valid points for an unknown one, and refuses next() twice', async () => {
    const chain = new InterceptorChain();
    expect(() => chain.add('afterAsk', () => {})).toThrow(
      'Unknown intercept point "afterAsk". Valid points: beforeAsk, beforeTurn, beforeToolCall, afterToolCall, beforeResponse.',
    );
    chain.add('afterToolCall', async (_ctx, next) => {
      await next();
      await next();
    });
    await expect(chain.run('afterToolCall', {})).rejects.toThrow('A afterToolCall interceptor called next() twice; call it at most once.');
  });
});

describe('assistant.intercept', () => {
  function assistant(): Assistant {
    const helper = container().feature<Assistant>('assistant', { model: 'm', systemPrompt: 'S.' });
    return helper.addTool('secret', z.object({ name: z.string() }), ({ name }) => `value of ${name}`);
  }

  it('sees and changes every point of an ask', async () => {
    state.server.reply({ toolCalls: [{ name: 'secret', arguments: { name: 'db' } }] }, { text: 'the answer' });
    const helper = assistant();
    const seen: string[] = [];
    helper
      .intercept('beforeAsk', async (ctx, next) => {
        seen.push(`beforeAsk:${ctx.question}`);
        ctx.question = `${ctx.question} (politely)`;
        await next();
      })
      .intercept('beforeTurn', async (ctx, next) => {
        seen.push(`beforeTurn:${ctx.turn}`);
        await next();
      })
      .intercept('beforeToolCall', async (ctx, next) => {
        seen.push(`beforeToolCall:${ctx.name}`);
        await next();
      })
      .intercept('afterToolCall', async (ctx, next) => {
        seen.push(`afterToolCall:${ctx.result}`);
        ctx.result = 'redacted by interceptor';
        await next();
      })
      .intercept('beforeResponse', async (ctx, next) => {
        seen.push(`beforeResponse:${ctx.response}`);
        ctx.response = String(ctx.response).toUpperCase();
        await next();
      });
    expect(await helper.ask('hello')).toBe('THE ANSWER');
    expect(seen).toEqual(['beforeAsk:hello', 'beforeTurn:1', 'beforeToolCall:secret', 'afterToolCall:value of db', 'beforeTurn:2', 'beforeResponse:the answer']);
    expect(state.server.requests[0].body.messages.at(-1)?.content).toBe('hello (politely)');
    expect(state.server.requests[1].body.messages.at(-1)?.content).toBe('redacted by interceptor');
  });

  it('short-circuits: beforeAsk answers from a cache, beforeToolCall denies a tool', async () => {
    const cached = assistant().intercept('beforeAsk', (ctx) => {
      ctx.response = 'from cache';
    });
    expect(await cached.ask('anything')).toBe('from cache');
    expect(state.server.requests).toHaveLength(0);

    state.server.reply({ toolCalls: [{ name: 'secret', arguments: { name: 'db' } }] }, { text: 'ok' });
    let ran = false;
    const guarded = assistant()
      .addTool('secret', z.object({ name: z.string() }), () => {
        ran = true;
      })
      .intercept('beforeToolCall', (ctx) => {
        ctx.error = `${ctx.name} is not allowed here`;
      });
    await guarded.ask('read the secret');
    expect(ran).toBe(false);
    expect(state.server.requests[1].body.messages.at(-1)?.content).toBe('Error: secret is not allowed here');
  });

  it('a beforeTurn interceptor that skips the call must supply the message', async () => {
    const helper = assistant().intercept('beforeTurn', () => {});
    await expect(helper.ask('x')).rejects.toThrow(
      'A beforeTurn interceptor skipped the model call (did not call next()) without setting ctx.message on turn 1.',
    );
    const canned = assistant().intercept('beforeTurn', (ctx) => {
      ctx.message = { content: 'canned' };
    });
    expect(await canned.ask('x')).toBe('canned');
  });

  it('rejects an unknown point with the list', () => {
    expect(() => assistant().intercept('afterResponse', () => {})).toThrow(
      'Unknown intercept point "afterResponse". Valid points: beforeAsk, beforeTurn, beforeToolCall, afterToolCall, beforeResponse.',
    );
  });
});
