import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import type { Assistant } from '../../../../src/features/llm/assistant.js';
import type { Conversation } from '../../../../src/features/llm/conversation.js';
import { testApiKey, useScriptedLlm } from '../../../support/llm-env.js';

const { state, container } = useScriptedLlm({ smart: false });

const docPath = () => join(state.dir, 'guide.md');
const recordingPath = () => join(state.dir, '__recordings__', 'guide.llm.json');

// Replays must not need a key or a server: both are taken away.
async function goOffline(): Promise<void> {
  await state.server.close();
  vi.stubEnv('OPENAI_API_KEY', '');
  vi.stubEnv('OPENAI_BASE_URL', 'http://127.0.0.1:9/v1');
}

async function session(llm: 'record' | 'replay') {
  const made = container({ docPath: docPath(), llm });
  const chat = made.feature<Conversation>('conversation', { model: 'm', history: [{ role: 'system', content: 'Sys.' }] });
  const streamed = made.feature<Conversation>('conversation', { model: 'm', stream: true });
  const helper = made.feature<Assistant>('assistant', { model: 'm' });
  helper.addTool('clock', z.object({}), () => `now is ${Date.now()}`);
  const chunks: string[] = [];
  streamed.on('chunk', (text: string) => chunks.push(text));
  const answers = [
    await chat.ask('first'),
    await chat.ask('first'),
    await streamed.ask('stream please'),
    await helper.ask('what time is it?'),
    await chat.ask('as json', { schema: z.object({ n: z.number() }).describe('N') }),
  ];
  return { answers, chunks };
}

describe('recordings', () => {
  it('records every exchange beside the doc, then replays it offline, streams as streams', async () => {
    state.server.reply(
      { text: 'answer one' },
      { text: 'answer two' },
      { text: 'a streamed answer in pieces' },
      { toolCalls: [{ name: 'clock', arguments: {} }] },
      { text: 'it is late' },
      { json: { n: 7 } },
    );
    const recorded = await session('record');
    expect(recorded.answers).toEqual(['answer one', 'answer two', 'a streamed answer in pieces', 'it is late', { n: 7 }]);
    expect(existsSync(recordingPath())).toBe(true);
    const file = JSON.parse(readFileSync(recordingPath(), 'utf8'));
    expect(file.exchanges).toHaveLength(6);
    expect(file.exchanges[2].response.events.length).toBeGreaterThan(3);
    expect(file.exchanges[2].response.events.at(-1)).toBe('[DONE]');

    await goOffline();
    const replayed = await session('replay');
    expect(replayed.answers).toEqual(recorded.answers);
    expect(replayed.chunks).toEqual(recorded.chunks);
    expect(replayed.chunks.length).toBeGreaterThan(1);
  });

  it('a replay miss shows the nearest recorded request and the command to record', async () => {
    state.server.reply({ text: 'hello back' });
    await container({ docPath: docPath(), llm: 'record' }).feature<Conversation>('conversation', { model: 'm' }).ask('hello there');
    await goOffline();
    const chat = container({ docPath: docPath(), llm: 'replay' }).feature<Conversation>('conversation', { model: 'm' });
    const error = await chat.ask('hello world').catch((e: unknown) => e as { code: string; message: string });
    expect(error.code).toBe('RUNBOOK_LLM_REPLAY_MISS');
    expect(error.message).toBe(
      [
        `No recorded LLM answer matches this request (1 exchanges in ${recordingPath()}).`,
        'Nearest recorded request (#1), "-" recorded, "+" this request:',
        '  {',
        '    "messages": [',
        '      {',
        '-       "content": "hello there",',
        '+       "content": "hello world",',
        '        "role": "user"',
        '      }',
        '  …',
        `The doc or its prompts changed since recording. To record again, run: npx runbook run ${docPath()} --llm record`,
      ].join('\n'),
    );
  });

  it('replay without a recording says where it looked and how to record', async () => {
    await goOffline();
    const chat = container({ docPath: docPath(), llm: 'replay' }).feature<Conversation>('conversation', {});
    await expect(chat.ask('x')).rejects.toThrow(
      `No LLM recording for this doc: ${recordingPath()} does not exist (--llm replay). To record it (needs OPENAI_API_KEY), run: npx runbook run ${docPath()} --llm record`,
    );
  });

  it('tool results that change between runs (pids, times) still replay', async () => {
    let pid = 1000;
    state.server.reply({ toolCalls: [{ name: 'clock', arguments: {} }] }, { text: 'done' });
    const run = async (llm: 'record' | 'replay') => {
      const helper = container({ docPath: docPath(), llm }).feature<Assistant>('assistant', { model: 'm' });
      helper.addTool('clock', z.object({}), () => ({ pid: pid++ }));
      return helper.ask('start it');
    };
    expect(await run('record')).toBe('done');
    await goOffline();
    expect(await run('replay')).toBe('done');
  });

  it('never stores the API key, auth headers or secret-looking env values', async () => {
    vi.stubEnv('DEPLOY_TOKEN', 'tok-very-secret-value-42');
    state.server.reply({ toolCalls: [{ name: 'env', arguments: {} }] }, { text: `I saw ${testApiKey} and tok-very-secret-value-42` });
    const helper = container({ docPath: docPath(), llm: 'record' }).feature<Assistant>('assistant', { model: 'm' });
    helper.addTool('env', z.object({}), () => ({ token: 'tok-very-secret-value-42', api_key: 'plain', note: 'Bearer abcdefghijklmnop' }));
    await helper.ask(`my key is ${testApiKey}`);
    expect(state.server.requests[0].authorization).toBe(`Bearer ${testApiKey}`);
    const text = readFileSync(recordingPath(), 'utf8');
    expect(text).not.toContain(testApiKey);
    expect(text).not.toContain('tok-very-secret-value-42');
    expect(text).not.toContain('abcdefghijklmnop');
    expect(text).not.toMatch(/authorization/i);
    expect(text).toContain('my key is [REDACTED]');

    // Replay still finds the scrubbed requests.
    await goOffline();
    vi.stubEnv('DEPLOY_TOKEN', 'tok-very-secret-value-42');
    const again = container({ docPath: docPath(), llm: 'replay' }).feature<Assistant>('assistant', { model: 'm' });
    again.addTool('env', z.object({}), () => ({ token: 'tok-very-secret-value-42' }));
    expect(await again.ask(`my key is ${testApiKey}`)).toBe('I saw [REDACTED] and [REDACTED]');
  });
});
