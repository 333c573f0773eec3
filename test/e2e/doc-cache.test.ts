import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { docResult, fence, makeCacheDir, makeDocs, runCli, runJson } from '../support/cli.js';

// The doc cache keeps a doc's parsed blocks and compiled code, keyed by the
// body after the frontmatter; the code cache keeps V8's bytecode of runbook
// itself. Both must be invisible but for speed: same results, same positions.

const docEntries = (cache: string) => readdirSync(join(cache, 'docs-v3')).map((name) => join(cache, 'docs-v3', name));

// An entry is its blocks and code on the first line, then their position maps (read only on an error).
function editEntry(path: string, edit: (lines: [{ value: { parts: { code: string }[] } }, unknown]) => string[]): void {
  const [head, tail] = readFileSync(path, 'utf8').split('\n');
  writeFileSync(path, edit([JSON.parse(head!), JSON.parse(tail!)]).join('\n'));
}

const body = [
  '# Steps\n',
  fence('ts', 'const items: number[] = [1, 2]\nconsole.log(items.length)'),
  'Prose.\n',
  fence('ts', 'const missing = (items as unknown as Record<string, { x: number }>).nope\nmissing.x'),
].join('\n');

describe('doc cache (real CLI)', () => {
  it('runs an unchanged doc from its entry: the compiled code is taken from the cache', async () => {
    const docs = makeDocs({ 'doc.md': fence('ts', 'console.log("compiled")') });
    const cache = makeCacheDir();
    const env = { RUNBOOK_CACHE_DIR: cache };
    expect(docResult((await runJson(docs, ['doc.md'], ['--no-stamp'], { env })).report, 'doc.md').blocks[0]!.stdout).toBe('compiled\n');
    const [entryPath] = docEntries(cache);
    editEntry(entryPath!, ([entry, tail]) => {
      entry.value.parts[0]!.code = 'console.log("from the doc cache")';
      return [JSON.stringify(entry), JSON.stringify(tail)];
    });
    expect(docResult((await runJson(docs, ['doc.md'], ['--no-stamp'], { env })).report, 'doc.md').blocks[0]!.stdout).toBe('from the doc cache\n');
  }, 60_000);

  it('keeps the tokens of a fence that has some, an output fence’s included, and leaves them out of the rest', async () => {
    const docs = makeDocs({ 'doc.md': [fence('ts', 'console.log("same")'), fence('output', 'same'), fence('ts', '1 + 1', 'silent')].join('\n') });
    const cache = makeCacheDir();
    const env = { RUNBOOK_CACHE_DIR: cache };
    for (let run = 0; run < 2; run++) expect((await runJson(docs, ['doc.md'], ['--no-stamp'], { env })).code).toBe(0);
    const [head] = readFileSync(docEntries(cache)[0]!, 'utf8').split('\n');
    const stored = (JSON.parse(head!) as { value: { blocks: { kind: string; tokens?: { output: boolean; silent: boolean } }[] } }).value.blocks;
    expect(stored.map((block) => [block.kind, block.tokens?.output, block.tokens?.silent])).toEqual([
      ['code', undefined, undefined],
      ['output', true, false],
      ['code', false, true],
    ]);
  }, 60_000);

  it('points at the same Markdown line when only the frontmatter changed, as stamping does', async () => {
    const docs = makeDocs({ 'doc.md': body });
    const cache = makeCacheDir();
    const env = { RUNBOOK_CACHE_DIR: cache };
    const located = async () => {
      const doc = docResult((await runJson(docs, ['doc.md'], [], { env })).report, 'doc.md');
      expect(doc.blocks.map((b) => b.status)).toEqual(['passed', 'failed']);
      return doc.blocks[1]!.error!.location;
    };
    const lineOf = (text: string) => text.split('\n').findIndex((line) => line === 'missing.x') + 1;
    // No frontmatter, then the stamp adds one, then a longer one: the last two share the body's entry.
    expect(await located()).toBe(`doc.md:${lineOf(body)}:9`);
    const stamped = readFileSync(join(docs, 'doc.md'), 'utf8');
    expect(stamped).toMatch(/^---\nlastTested: .*\nlastTestPassed: false\n---\n/);
    expect(await located()).toBe(`doc.md:${lineOf(stamped)}:9`);
    const entries = docEntries(cache).length; // the first stamp may add a blank line to the body
    writeFileSync(join(docs, 'doc.md'), `---\ntitle: Longer\ntags: [a, b]\n${stamped.slice(4)}`);
    expect(await located()).toBe(`doc.md:${lineOf(stamped) + 2}:9`);
    expect(docEntries(cache)).toHaveLength(entries);
  }, 60_000);

  it('runs from an entry whose position maps are damaged, and still places an error on its block', async () => {
    const docs = makeDocs({ 'doc.md': body });
    const cache = makeCacheDir();
    const env = { RUNBOOK_CACHE_DIR: cache };
    const run = async () => docResult((await runJson(docs, ['doc.md'], ['--no-stamp'], { env })).report, 'doc.md');
    const exact = (await run()).blocks[1]!.error!.location;
    const [entryPath] = docEntries(cache);
    editEntry(entryPath!, ([entry]) => [JSON.stringify(entry), '[{"transpiled":']);
    const doc = await run();
    expect(doc.blocks.map((b) => [b.status, b.stdout])).toEqual([['passed', '2\n'], ['failed', '']]);
    // Without its maps the error is placed by the compiled script's own lines: here still the block's failing line.
    const [, line] = exact!.split(':');
    expect(doc.blocks[1]!.error!.location).toMatch(new RegExp(`^doc\\.md:${line}:\\d+$`));
  }, 60_000);

  it('reads the frontmatter afresh on every run: title and timeout come from the file', async () => {
    const block = fence('ts', 'await new Promise((done) => setTimeout(done, 300))');
    const docs = makeDocs({ 'doc.md': `---\ntitle: First\n---\n${block}` });
    const cache = makeCacheDir();
    const env = { RUNBOOK_CACHE_DIR: cache };
    const first = docResult((await runJson(docs, ['doc.md'], ['--no-stamp'], { env })).report, 'doc.md');
    expect([first.title, first.status]).toEqual(['First', 'passed']);
    writeFileSync(join(docs, 'doc.md'), `---\ntitle: Second\ntimeout: 100\n---\n${block}`);
    const second = docResult((await runJson(docs, ['doc.md'], ['--no-stamp'], { env })).report, 'doc.md');
    expect([second.title, second.status, second.blocks[0]!.error?.message]).toEqual(['Second', 'failed', expect.stringContaining('Timed out after 100 ms')]);
    expect(docEntries(cache)).toHaveLength(1);
  }, 60_000);

  it('does not keep a doc with a block that does not compile, and reports it the same on every run', async () => {
    const docs = makeDocs({ 'doc.md': [fence('ts', 'const a = 1'), fence('ts', 'const b: number =')].join('\n') });
    const cache = makeCacheDir();
    const env = { RUNBOOK_CACHE_DIR: cache };
    for (let run = 0; run < 2; run++) {
      const doc = docResult((await runJson(docs, ['doc.md'], ['--no-stamp'], { env })).report, 'doc.md');
      expect(doc.blocks[1]!.error!.location).toBe('doc.md:6:18');
    }
    expect(readdirSync(cache)).not.toContain('docs-v3');
  }, 60_000);
});

describe('code cache of runbook itself (real CLI)', () => {
  const codeCache = (cache: string) => readdirSync(join(cache, 'code-cache')).map((name) => join(cache, 'code-cache', name));

  // One file for the command line and one for the executor: each holds what its process compiled.
  it('is written on the first run, one per process role, used after, and replaced when it does not fit', async () => {
    const docs = makeDocs({ 'doc.md': fence('ts', 'console.log(1 + 1)') });
    const cache = makeCacheDir();
    const env = { RUNBOOK_CACHE_DIR: cache };
    expect((await runCli(['run', 'doc.md', '--no-stamp'], { cwd: docs, env })).code).toBe(0);
    const files = codeCache(cache);
    expect(files).toHaveLength(2);
    const written = files.map((file) => statSync(file).mtimeMs);
    for (const file of files) expect(statSync(file).size).toBeGreaterThan(10_000);
    // A cache that fits is only read.
    expect((await runCli(['run', 'doc.md', '--no-stamp'], { cwd: docs, env })).code).toBe(0);
    expect(files.map((file) => statSync(file).mtimeMs)).toEqual(written);
    // One that does not (here: garbage) is ignored, and replaced: the executor's after its first doc, the command line's at exit.
    for (const file of files) writeFileSync(file, Buffer.alloc(4096, 7));
    const run = await runCli(['run', 'doc.md', '--no-stamp'], { cwd: docs, env });
    expect([run.code, run.stderr]).toEqual([0, '']);
    for (const file of files) expect(statSync(file).size).toBeGreaterThan(10_000);
    expect(codeCache(cache).sort()).toEqual([...files].sort());
  }, 60_000);

  it("replaces the file of an earlier build of the same install instead of piling up", async () => {
    const docs = makeDocs({ 'doc.md': fence('ts', 'console.log(1 + 1)') });
    const cache = makeCacheDir();
    const env = { RUNBOOK_CACHE_DIR: cache };
    await runCli(['run', 'doc.md', '--no-stamp'], { cwd: docs, env });
    const files = codeCache(cache);
    const earlier = files.map((file) => file.replace(/-[0-9a-f]+\.bin$/, '-0123456789abcdef.bin'));
    const otherInstall = join(cache, 'code-cache', 'fedcba9876543210-0123456789abcdef.bin');
    for (const file of earlier) writeFileSync(file, 'an earlier build');
    writeFileSync(otherInstall, 'another install');
    for (const file of files) rmSync(file);
    await runCli(['run', 'doc.md', '--no-stamp'], { cwd: docs, env });
    expect(codeCache(cache).sort()).toEqual([...files, otherInstall].sort());
  }, 60_000);

  it('is not written with RUNBOOK_CACHE=off', async () => {
    const docs = makeDocs({ 'doc.md': fence('ts', 'console.log(1 + 1)') });
    const cache = makeCacheDir();
    const run = await runCli(['run', 'doc.md', '--no-stamp'], { cwd: docs, env: { RUNBOOK_CACHE: 'off', RUNBOOK_CACHE_DIR: cache } });
    expect(run.code).toBe(0);
    expect(readdirSync(cache)).toEqual([]);
  }, 60_000);
});

describe('cache pruning (real CLI)', () => {
  it("a run removes an older format's folder unused for a week, and leaves a stamp so that the next run today does not look again", async () => {
    const docs = makeDocs({ 'doc.md': fence('ts', 'console.log(1 + 1)') });
    const cache = makeCacheDir();
    const env = { RUNBOOK_CACHE_DIR: cache };
    const outdated = (name: string) => {
      const folder = join(cache, name);
      mkdirSync(folder, { mode: 0o700 });
      writeFileSync(join(folder, `${'0'.repeat(64)}.json`), '{}');
      const monthAgo = Date.now() / 1000 - 30 * 24 * 60 * 60;
      utimesSync(folder, monthAgo, monthAgo);
      return folder;
    };
    mkdirSync(join(cache, 'docs-v2'), { mode: 0o700 }); // as an earlier run left it
    const first = outdated('docs-v1');
    expect((await runCli(['run', 'doc.md', '--no-stamp'], { cwd: docs, env })).code).toBe(0);
    expect(existsSync(first)).toBe(false);
    expect(readdirSync(cache)).toContain('pruned');
    const second = outdated('transpile-v1');
    expect((await runCli(['run', 'doc.md', '--no-stamp'], { cwd: docs, env })).code).toBe(0);
    expect(existsSync(second)).toBe(true);
  }, 60_000);

  it('RUNBOOK_CACHE_MAX_MB that is not a positive number is a usage error before anything runs', async () => {
    const docs = makeDocs({ 'doc.md': fence('ts', 'console.log("ran")') });
    const run = await runCli(['run', 'doc.md', '--no-stamp'], { cwd: docs, env: { RUNBOOK_CACHE_DIR: makeCacheDir(), RUNBOOK_CACHE_MAX_MB: 'lots' } });
    expect(run.stderr).toBe('runbook: RUNBOOK_CACHE_MAX_MB is "lots"; give a number of megabytes above 0, e.g. RUNBOOK_CACHE_MAX_MB=512 (default 256).\n');
    expect(run.code).toBe(2);
    expect(run.stdout).not.toContain('ran');
  }, 60_000);
});
