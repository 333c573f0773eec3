import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { docResult, fence, makeCacheDir, makeDocs, runJson } from '../support/cli.js';

// Several TypeScript blocks per doc: the runner transpiles them in one esbuild
// call (batched), then from the transpile cache; errors must point at the same
// Markdown line and column either way.
const multi = [
  '# Multi\n',
  fence('ts', 'interface Item { name: string; qty: number }\nconst items: Item[] = []\nlet total: number = 0'),
  fence('ts', "items.push({ name: 'a', qty: 2 })\ntotal += 2"),
  'Some prose between blocks.\n',
  fence('ts', 'function describe(item: Item): string {\n  return `${item.name}: ${item.qty}`\n}'),
  fence('ts', 'const shown: string[] = items.map(describe)\nconst broken = (items[5] as Item | undefined)\n    broken!.name.length'),
  fence('ts', 'total += 1'),
].join('\n');
const syntax = ['# Syntax\n', fence('ts', 'const a: number = 1'), fence('ts', 'const b: string = "b"'), fence('ts', 'const c: number =\n  a +'), fence('ts', 'const d = 4')].join('\n');
const lines = (text: string, line: number) => text.split('\n')[line - 1];

const entryFiles = (dir: string) => readdirSync(join(dir, 'transpile-v2'));

describe('transpile cache, doc cache and batching (real CLI)', () => {
  it('maps errors to the same Markdown positions with the cache off, cold and warm', async () => {
    const docs = makeDocs({ 'multi.md': multi, 'syntax.md': syntax });
    const cache = makeCacheDir();
    const runs = [
      await runJson(docs, ['multi.md', 'syntax.md'], ['--no-stamp'], { env: { RUNBOOK_CACHE: 'off' } }),
      await runJson(docs, ['multi.md', 'syntax.md'], ['--no-stamp'], { env: { RUNBOOK_CACHE_DIR: cache } }),
      await runJson(docs, ['multi.md', 'syntax.md'], ['--no-stamp'], { env: { RUNBOOK_CACHE_DIR: cache } }),
    ];
    for (const run of runs) {
      const runtime = docResult(run.report, 'multi.md');
      expect(runtime.blocks.map((b) => b.status)).toEqual(['passed', 'passed', 'passed', 'failed', 'not-run']);
      expect(runtime.blocks[3]!.error!.location).toBe('multi.md:25:13');
      expect(lines(multi, 25)).toBe('    broken!.name.length');
      expect(runtime.blocks[3]!.error!.message).toBe("Cannot read properties of undefined (reading 'name')");

      const parse = docResult(run.report, 'syntax.md');
      expect(parse.blocks.map((b) => b.status)).toEqual(['passed', 'passed', 'failed', 'not-run']);
      expect(parse.blocks[2]!.error!.location).toBe('syntax.md:13:6');
      expect(parse.blocks[2]!.error!.message).toBe('Unexpected end of file');
    }
    // Blocks that transpiled are stored; the one with a syntax error is not.
    expect(entryFiles(cache).filter((name) => name.endsWith('.json'))).toHaveLength(8);
  }, 60_000);

  it('takes unchanged blocks from the cache instead of transpiling them again', async () => {
    const block = fence('ts', 'const greeting: string = "hello"\nconsole.log(greeting)');
    const docs = makeDocs({ 'one.md': block });
    const cache = makeCacheDir();
    const first = await runJson(docs, ['one.md'], ['--no-stamp'], { env: { RUNBOOK_CACHE_DIR: cache } });
    expect(first.report.docs[0]!.blocks[0]!.stdout).toBe('hello\n');
    // Rewrite the stored output: if the second run prints it, esbuild was not asked again.
    const [name] = entryFiles(cache);
    const path = join(cache, 'transpile-v2', name!);
    const entry = JSON.parse(readFileSync(path, 'utf8')) as { key: string; value: { code: string; mappings: number[] } };
    writeFileSync(path, JSON.stringify({ ...entry, value: { code: 'console.log("from the cache")\n', mappings: [0, 0, 0, 0] } }));
    // The doc changes around the block, so the doc cache has no entry for it and the block cache is asked.
    writeFileSync(join(docs, 'one.md'), `# Now with a title\n\n${block}`);
    const second = await runJson(docs, ['one.md'], ['--no-stamp'], { env: { RUNBOOK_CACHE_DIR: cache } });
    expect(second.report.docs[0]!.blocks[0]!.stdout).toBe('from the cache\n');
  }, 60_000);

  it('treats corrupt entries as misses and rewrites them', async () => {
    const docs = makeDocs({ 'multi.md': multi });
    const cache = makeCacheDir();
    await runJson(docs, ['multi.md'], ['--no-stamp'], { env: { RUNBOOK_CACHE_DIR: cache } });
    const entries = ['transpile-v2', 'docs-v3'].flatMap((folder) => readdirSync(join(cache, folder)).map((name) => join(cache, folder, name)));
    expect(entries).toHaveLength(6); // five blocks and the doc
    entries.forEach((path, i) => writeFileSync(path, ['', '{"key":', 'null', '{"key":"x","value":1}', '{}', '{"key":"x"'][i % 6]!));
    const run = await runJson(docs, ['multi.md'], ['--no-stamp'], { env: { RUNBOOK_CACHE_DIR: cache } });
    expect(docResult(run.report, 'multi.md').blocks[3]!.error!.location).toBe('multi.md:25:13');
    for (const path of entries) {
      const entry = JSON.parse(readFileSync(path, 'utf8').split('\n')[0]!) as { key: string };
      expect(path.endsWith(`${entry.key}.json`)).toBe(true);
    }
  }, 60_000);

  it('runs on when the cache folder cannot be created', async () => {
    const docs = makeDocs({ 'multi.md': multi, 'blocker': 'a file where the cache folder would go' });
    const run = await runJson(docs, ['multi.md'], ['--no-stamp'], { env: { RUNBOOK_CACHE_DIR: join(docs, 'blocker', 'cache') } });
    expect(run.stderr).toBe('');
    expect(docResult(run.report, 'multi.md').blocks.map((b) => b.status)).toEqual(['passed', 'passed', 'passed', 'failed', 'not-run']);
  }, 60_000);

  it('survives concurrent runs filling the same cache', async () => {
    const docs = makeDocs({ 'multi.md': multi, 'syntax.md': syntax });
    const cache = makeCacheDir();
    const runs = await Promise.all(
      Array.from({ length: 4 }, () => runJson(docs, ['multi.md', 'syntax.md'], ['--no-stamp', '--jobs', '1'], { env: { RUNBOOK_CACHE_DIR: cache } })),
    );
    for (const run of runs) expect(docResult(run.report, 'multi.md').blocks[3]!.error!.location).toBe('multi.md:25:13');
    const names = entryFiles(cache);
    expect(names.filter((name) => !name.endsWith('.json'))).toEqual([]); // no temporary files left behind
    expect(names).toHaveLength(8);
    for (const name of names) expect(() => JSON.parse(readFileSync(join(cache, 'transpile-v2', name), 'utf8'))).not.toThrow();
  }, 60_000);
});
