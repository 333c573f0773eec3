import { createServer } from 'node:net';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { Container } from '../../../src/container/container.js';
import type { Conversation } from '../../../src/features/llm/conversation.js';
import { resolveMode } from '../../../src/features/llm/llm-client.js';
import { useScriptedLlm } from '../../support/llm-env.js';

const { state, container } = useScriptedLlm({ smart: false });

// A port nobody listens on: bind one, note it, close it.
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

function thrown(fn: () => unknown): { code?: string; message: string } {
  try {
    fn();
  } catch (error) {
    return error as { code?: string; message: string };
  }
  throw new Error('expected a throw');
}

describe('choosing record / replay / live', () => {
  const doc = (dir: string) => join(dir, 'guide.md');

  it('auto replays when the doc has a recording, goes live with a key, and skips otherwise', () => {
    const docPath = doc(state.dir);
    const settings = { cwd: state.dir, docPath };
    expect(resolveMode(new Container(settings), { OPENAI_API_KEY: 'k' })).toEqual({ mode: 'live' });
    const noKey = thrown(() => resolveMode(new Container(settings), {}));
    expect(noKey.code).toBe('RUNBOOK_SKIP_DOC');
    expect(noKey.message).toMatch(/^needs an LLM: OPENAI_API_KEY is not set and there is no recording at .*__recordings__\/guide\.llm\.json\. To record one, run: npx runbook run .*guide\.md --llm record$/);
    const ci = thrown(() => resolveMode(new Container(settings), { OPENAI_API_KEY: 'k', CI: 'true' }));
    expect(ci.code).toBe('RUNBOOK_SKIP_DOC');
    expect(ci.message).toMatch(/under CI=true the auto mode never calls the live API.*Commit a recording or pass --llm live\.$/);
    expect(resolveMode(new Container({ ...settings, llm: 'live' }), { OPENAI_API_KEY: 'k', CI: 'true' })).toEqual({ mode: 'live' });
    mkdirSync(join(state.dir, '__recordings__'));
    writeFileSync(join(state.dir, '__recordings__', 'guide.llm.json'), '{"version":1,"exchanges":[]}');
    expect(resolveMode(new Container(settings), {})).toEqual({ mode: 'replay', path: join(state.dir, '__recordings__', 'guide.llm.json') });
  });

  it('reads RUNBOOK_LLM when no --llm was given, and rejects unknown modes', () => {
    const settings = { cwd: state.dir, docPath: doc(state.dir) };
    expect(resolveMode(new Container(settings), { RUNBOOK_LLM: 'replay' }).mode).toBe('replay');
    expect(resolveMode(new Container({ ...settings, llm: 'auto' }), { RUNBOOK_LLM: 'replay', OPENAI_API_KEY: 'k' }).mode).toBe('live');
    expect(thrown(() => resolveMode(new Container(settings), { RUNBOOK_LLM: 'tape' })).message).toBe(
      'Unknown LLM mode "tape" (from --llm or RUNBOOK_LLM). Use one of: record, replay, live, auto.',
    );
    expect(thrown(() => resolveMode(new Container({ ...settings, llm: 'record' }), {})).message).toBe(
      '--llm record calls the LLM endpoint and needs OPENAI_API_KEY, which is not set. Set it (any non-empty value for a local server that ignores keys), or use --llm replay.',
    );
    expect(thrown(() => resolveMode(new Container({ cwd: state.dir, llm: 'replay' }), {})).message).toBe(
      '--llm replay needs a doc to keep the recording beside, but this container has no settings.docPath.',
    );
  });

  it('a doc without key or recording is skipped at its first ask, with code RUNBOOK_SKIP_DOC', async () => {
    vi.stubEnv('OPENAI_API_KEY', '');
    const chat = container({ docPath: doc(state.dir) }).feature<Conversation>('conversation', {});
    await expect(chat.ask('hi')).rejects.toMatchObject({ code: 'RUNBOOK_SKIP_DOC' });
    expect(state.server.requests).toHaveLength(0);
  });
});

describe('endpoint failures', () => {
  it('a 401 says the API key was rejected', async () => {
    vi.stubEnv('OPENAI_API_KEY', 'sk-wrong-key-000000000000');
    const chat = container().feature<Conversation>('conversation', {});
    await expect(chat.ask('hi')).rejects.toThrow(
      `LLM request to ${state.server.baseURL} failed: the API key was rejected (401). Check OPENAI_API_KEY (and OPENAI_BASE_URL if the key belongs to another server).`,
    );
  });

  it('an unreachable endpoint is named in the message', async () => {
    const baseURL = `http://127.0.0.1:${await closedPort()}/v1`;
    vi.stubEnv('OPENAI_BASE_URL', baseURL);
    const chat = container().feature<Conversation>('conversation', {});
    const error = await chat.ask('hi').catch((e: unknown) => e as { code: string; message: string });
    expect(error.code).toBe('RUNBOOK_LLM_UNREACHABLE');
    expect(error.message).toBe(
      `Could not reach the LLM endpoint at ${baseURL} (ECONNREFUSED): Connection error. Check OPENAI_BASE_URL and the network, or run offline with --llm replay.`,
    );
  });

  it('other HTTP errors name the endpoint and status', async () => {
    state.server.reply({ status: 400, error: 'model not found' }, { status: 400, error: 'again' });
    const chat = container().feature<Conversation>('conversation', {});
    await expect(chat.ask('hi')).rejects.toThrow(`LLM request to ${state.server.baseURL} failed with 400: 400 model not found`);
  });
});
