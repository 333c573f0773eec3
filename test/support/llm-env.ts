import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, vi } from 'vitest';
import { Container } from '../../src/container/container.js';
import type { ContainerSettings } from '../../src/container/settings.js';
import { Assistant } from '../../src/features/llm/assistant.js';
import { Conversation } from '../../src/features/llm/conversation.js';
import { startScriptedOpenAI, type ScriptedServer, type ScriptedServerOptions } from './scripted-openai-server.js';

/** The dummy key tests use; the suite checks it never lands in a recording. */
export const testApiKey = 'sk-test-0123456789abcdefSECRET';

/**
 * Per-test scripted server, env (OPENAI_BASE_URL/KEY pointing at it), a temp
 * folder and containers disposed afterwards.
 */
export function useScriptedLlm(options: ScriptedServerOptions = {}) {
  const state: { server: ScriptedServer; dir: string; containers: Container[] } = { server: undefined as never, dir: '', containers: [] };
  beforeEach(async () => {
    state.server = await startScriptedOpenAI({ apiKey: testApiKey, ...options });
    state.dir = mkdtempSync(join(tmpdir(), 'runbook-llm-'));
    vi.stubEnv('OPENAI_API_KEY', testApiKey);
    vi.stubEnv('OPENAI_BASE_URL', state.server.baseURL);
    vi.stubEnv('CI', '');
    vi.stubEnv('RUNBOOK_LLM', '');
  });
  afterEach(async () => {
    for (const container of state.containers.splice(0)) await container.dispose();
    vi.unstubAllEnvs();
    await state.server.close();
    rmSync(state.dir, { recursive: true, force: true });
  });
  const container = (settings: Partial<ContainerSettings> = {}): Container => {
    const made = new Container({ cwd: state.dir, ...settings });
    made.register(Conversation).register(Assistant);
    state.containers.push(made);
    return made;
  };
  return { state, container };
}

/** JSON.parse's message for `text` (its wording differs between Node versions). */
export function jsonError(text: string): string {
  try {
    JSON.parse(text);
    return '';
  } catch (error) {
    return (error as Error).message;
  }
}
