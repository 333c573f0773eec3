import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeDocs } from '../support/cli.js';
import { runbookVitest } from '../../src/vitest/plugin.js';
import { resolveRunOptions, parsePluginOptions } from '../../src/vitest/plugin-options.js';

type Hook = (...args: unknown[]) => unknown;
type WatchTrigger = { pattern: RegExp; testsToRun(file: string): string[] | undefined };

// The plugin's hooks as vitest calls them; `watched` collects addWatchFile.
function pluginHooks(options?: Parameters<typeof runbookVitest>[0]) {
  const plugin = runbookVitest(options) as unknown as Record<string, Hook>;
  const watched: string[] = [];
  const config = plugin.config!() as { test: { watchTriggerPatterns: WatchTrigger[] } };
  return {
    trigger: config.test.watchTriggerPatterns[0]!,
    resolved: (root: string) => plugin.configResolved!({ root }),
    transform: (id: string) => plugin.transform!.call({ addWatchFile: (file: string) => watched.push(file) }, '', id) as Promise<{ code: string } | null>,
    watched,
  };
}

describe('runbook/vitest plugin', () => {
  it('watches the local files a doc imports, and runs the doc again when one changes', async () => {
    const dir = makeDocs({
      'docs/guide.md': "# Guide\n\n```ts\nimport { answer } from '../src/answer';\n```\n",
      'src/answer.ts': "export { value as answer } from './value.ts';\n",
      'src/value.ts': 'export const value = 42;\n',
      'src/unrelated.ts': 'export {};\n',
    });
    const hooks = pluginHooks({ configFile: false });
    hooks.resolved(dir);
    const doc = join(dir, 'docs/guide.md');
    expect(await hooks.transform(doc)).toMatchObject({ code: expect.stringContaining('describe("Guide"') });
    expect(hooks.watched).toEqual([join(dir, 'src/answer.ts'), join(dir, 'src/value.ts')]);
    expect(hooks.trigger.pattern.test(join(dir, 'src/value.ts'))).toBe(true);
    expect(hooks.trigger.testsToRun(join(dir, 'src/value.ts'))).toEqual([doc]);
    expect(hooks.trigger.testsToRun(join(dir, 'src/unrelated.ts'))).toBeUndefined();

    // The doc no longer imports it: an edit of the helper no longer re-runs the doc.
    writeFileSync(doc, '# Guide\n\n```ts\nconst x = 1;\n```\n');
    await hooks.transform(doc);
    expect(hooks.trigger.testsToRun(join(dir, 'src/value.ts'))).toBeUndefined();
  });

  it('transforms only ids that match `include`, never a query or a virtual module', async () => {
    const hooks = pluginHooks({ configFile: false });
    expect(await hooks.transform('/p/a.ts')).toBeNull();
    expect(await hooks.transform('/p/a.md?raw')).toBeNull();
    expect(await hooks.transform('\0virtual.md')).toBeNull();
  });

  it('says which option is wrong', () => {
    expect(() => runbookVitest({ timeout: -1 })).toThrow(/^Invalid options for runbook\/vitest: .*timeout/);
    expect(() => runbookVitest({ stmap: true } as never)).toThrow(/stmap/);
  });
});

describe('resolveRunOptions', () => {
  it('takes runbook.config.* from the root, lets the plugin options win, and does not stamp', async () => {
    const dir = makeDocs({ 'runbook.config.json': JSON.stringify({ timeout: 1234, docTimeout: 9000, evalMode: 'optIn' }) });
    const options = await resolveRunOptions(parsePluginOptions({ evalMode: 'all' }), dir);
    expect(options).toMatchObject({ timeout: 1234, docTimeout: 9000, evalMode: 'all', stamp: false, update: false, configFile: join(dir, 'runbook.config.json') });
  });

  it('uses no config with configFile: false', async () => {
    const dir = makeDocs({ 'runbook.config.json': JSON.stringify({ timeout: 1234 }) });
    const options = await resolveRunOptions(parsePluginOptions({ configFile: false, stamp: true }), dir);
    expect(options).toMatchObject({ timeout: 30_000, stamp: true, configFile: undefined });
  });
});
