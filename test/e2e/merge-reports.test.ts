import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { DocResult, RunResult } from '../../src/runner/results.js';
import { parseTap } from '../runner/reporters/mini-tap.js';
import { childrenNamed, parseXml } from '../runner/reporters/mini-xml.js';
import { fence, makeDocs, runCli } from '../support/cli.js';
import { schemaErrors } from '../support/report-schema.js';

// A CI matrix in miniature: the same docs run unsharded and in 2 and 3 shards,
// each shard writing its JSON report; merge-reports must give back the
// unsharded run, doc for doc, as JSON, JUnit and TAP.

const docs = {
  'a.md': `# A\n\n${fence('ts', 'const a = 1\nconsole.log("a is", a)')}\n${fence('ts', 'a + 1')}`,
  'B.md': `# Upper-case B\n\n${fence('ts', 'console.log("B")')}`,
  'fail.md': `# Fail\n\n${fence('ts', 'const x = 1')}\n${fence('ts', 'const o: any = undefined\no.boom')}\n${fence('ts', 'console.log("never")')}`,
  'skip.md': `---\nskip: no key here\n---\n# Skip\n\n${fence('ts', '1')}`,
  'leaky.md': `# Leaky\n\n${fence('ts', 'const timer = setInterval(() => {}, 1000)')}`,
  'wait.md': `# Waits too long\n\n${fence('ts', 'await new Promise(() => {})', 'timeout=300')}`,
  'guides/setup.md': `---\ntags: [guide]\n---\n# Setup\n\n${fence('ts', 'console.log("set up <ok> & done")')}`,
  'guides/deep/z-last.md': `# Last\n\n${fence('ts', 'throw new Error("deep failure")')}`,
};

const glob = '**/*.md';

/** A doc as it would be in any run of the same docs: everything but the times. */
function timeless(doc: DocResult): unknown {
  return { ...doc, durationMs: 0, blocks: doc.blocks.map((block) => ({ ...block, durationMs: 0 })) };
}

const readJson = (path: string) => JSON.parse(readFileSync(path, 'utf8')) as RunResult & { schemaVersion: number };
const timelessJunit = (xml: string) => xml.replace(/ time="[\d.]+"/g, '');
const timelessTap = (tap: string) => tap.replace(/duration_ms: \d+/g, 'duration_ms: 0');

describe('runbook merge-reports', () => {
  let dir = '';
  const at = (name: string) => join(dir, name);
  beforeAll(async () => {
    dir = makeDocs(docs);
    const run = (args: string[]) => runCli(['run', glob, '--no-stamp', ...args], { cwd: dir, timeoutMs: 60_000 });
    // The unsharded run, with every report kind; then each shard with its JSON report.
    const full = await run(['--reporter', 'json', '--reporter', 'junit', '--reporter', 'tap', '--output-file', 'json:full.json', '--output-file', 'junit:full.xml', '--output-file', 'tap:full.tap']);
    expect(full.code, full.stderr).toBe(1);
    for (const count of [2, 3]) {
      for (let index = 1; index <= count; index++) {
        const shard = await run(['--shard', `${index}/${count}`, '--reporter', 'json', '--output-file', `shards-of-${count}/shard-${index}.json`]);
        expect(shard.stderr).toBe('');
      }
    }
  }, 180_000);

  it.each([2, 3])('merges %i shards into the unsharded run, doc for doc', async (count) => {
    const shardFiles = Array.from({ length: count }, (_, i) => `shards-of-${count}/shard-${count - i}.json`); // given in reverse
    const shards = shardFiles.map((file) => readJson(at(file)));
    // Each shard really holds only part of the docs.
    for (const shard of shards) expect(shard.docs.length).toBeLessThan(Object.keys(docs).length);

    const result = await runCli(['merge-reports', ...shardFiles, '--reporter', 'json'], { cwd: dir });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(1);
    const merged = JSON.parse(result.stdout) as RunResult & { schemaVersion: number };
    const full = readJson(at('full.json'));
    expect(schemaErrors(merged)).toBe('');
    expect(merged.schemaVersion).toBe(1);
    expect(merged.docs.map((doc) => doc.path)).toEqual(full.docs.map((doc) => doc.path));
    expect(merged.docs.map(timeless)).toEqual(full.docs.map(timeless));
    expect({ ...merged, docs: [], durationMs: 0 }).toEqual({ ...full, docs: [], durationMs: 0 });
    expect(merged.durationMs).toBe(Math.max(...shards.map((shard) => shard.durationMs)));
    // The cases that matter to a reader are in the comparison above.
    const fail = merged.docs.find((doc) => doc.path === 'fail.md');
    expect(fail?.blocks[1].error?.location).toBe('fail.md:9:3');
    expect(merged.docs.find((doc) => doc.path === 'wait.md')?.blocks[0].status).toBe('timed-out');
    expect(merged.docs.find((doc) => doc.path === 'leaky.md')?.cleanedUp).toEqual(['1 interval']);
  });

  it('writes JUnit and TAP equal to the unsharded run\'s, with pretty on stdout', async () => {
    const result = await runCli(
      ['merge-reports', 'shards-of-3/shard-1.json', 'shards-of-3/shard-2.json', 'shards-of-3/shard-3.json', '--reporter', 'pretty', '--reporter', 'junit', '--reporter', 'tap', '--output-file', 'junit:merged/junit.xml', '--output-file', 'tap:merged/run.tap'],
      { cwd: dir },
    );
    expect(result.stderr).toBe('');
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(' FAIL  fail.md');
    expect(result.stdout).toContain('    fail.md:9:3 TypeError: Cannot read properties of undefined');
    expect(result.stdout).toContain(' SKIP  skip.md no key here');
    expect(result.stdout).toContain('docs: 4 passed, 3 failed, 1 skipped');

    const junit = readFileSync(at('merged/junit.xml'), 'utf8');
    expect(timelessJunit(junit)).toBe(timelessJunit(readFileSync(at('full.xml'), 'utf8')));
    const suites = childrenNamed(parseXml(junit), 'testsuite').map((suite) => suite.attrs.name);
    expect(suites).toEqual(['B.md', 'a.md', 'fail.md', 'guides/deep/z-last.md', 'guides/setup.md', 'leaky.md', 'skip.md', 'wait.md']);

    const tap = readFileSync(at('merged/run.tap'), 'utf8');
    expect(timelessTap(tap)).toBe(timelessTap(readFileSync(at('full.tap'), 'utf8')));
    expect(parseTap(tap).plan).toEqual({ start: 1, end: 8 });
  });

  it('writes an HTML report of the merged run', async () => {
    const result = await runCli(['merge-reports', 'shards-of-2/shard-1.json', 'shards-of-2/shard-2.json', '--reporter', 'html', '--output-file', 'merged/report.html'], { cwd: dir });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(1);
    const page = readFileSync(at('merged/report.html'), 'utf8');
    expect(page).toMatch(/^<!doctype html>/i);
    for (const path of ['B.md', 'a.md', 'fail.md', 'guides/deep/z-last.md', 'skip.md', 'wait.md']) expect(page).toContain(path);
    expect(page).toContain('fail.md:9:3');
    expect(page).not.toMatch(/<script/i);
  });

  it('exits 0 when no merged doc failed', async () => {
    const passing = readJson(at('shards-of-3/shard-1.json'));
    writeFileSync(at('passing.json'), JSON.stringify({ ...passing, docs: passing.docs.filter((doc) => doc.status !== 'failed'), failed: 0 }));
    const result = await runCli(['merge-reports', 'passing.json', '--reporter', 'github'], { cwd: dir });
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^runbook: \d+ passed, 0 failed, \d+ skipped \(\d+ docs\) in /m);
  });

  it.each([
    ['a file that is not JSON', ['shards-of-2/shard-1.json', 'a.md'], 'runbook: a.md is not JSON (Unexpected token \'#\', "# A ```ts"... is not valid JSON). merge-reports reads the JSON reports that \'runbook run --shard i/n --reporter json --output-file <file>\' writes.\n'],
    ['a report of another schemaVersion', ['shards-of-2/shard-1.json', 'v2.json'], 'runbook: v2.json has schemaVersion 2, and this runbook reads version 1 only. Merge with the runbook version that wrote the reports, or write them again with this one.\n'],
    ['a file that cannot be read', ['shards-of-2/shard-1.json', 'missing.json'], `runbook: Cannot read report missing.json: no such file (ENOENT). Check the path (relative to ${'<dir>'}).\n`],
    ['a doc in two reports', ['shards-of-2/shard-1.json', 'shards-of-3/shard-1.json'], "runbook: B.md is in both shards-of-2/shard-1.json and shards-of-3/shard-1.json: each doc belongs to one shard. Give each shard's report once.\n"],
    ['--reporter literate', ['shards-of-2/shard-1.json', '--reporter', 'literate'], 'runbook: --reporter literate shows docs as they run, and a JSON report holds only their results. Choose one of pretty, json, junit, tap, html, github.\n'],
    ['no reports', ['--reporter', 'junit'], "runbook: No reports given. Name the shards' JSON reports, e.g. runbook merge-reports reports/*.json (each written by runbook run --shard i/n --reporter json --output-file <file>).\n"],
    ['an unknown flag', ['shards-of-2/shard-1.json', '--shard', '1/2'], "runbook: Unknown option '--shard'. Run 'runbook merge-reports --help' to see the options.\n"],
  ])('refuses %s with exit 2, before writing anything', async (_name, args, stderr) => {
    writeFileSync(at('v2.json'), JSON.stringify({ ...readJson(at('shards-of-2/shard-2.json')), schemaVersion: 2 }));
    const result = await runCli(['merge-reports', ...args, '--reporter', 'pretty', '--reporter', 'junit', '--output-file', 'junit:refused/junit.xml'], { cwd: dir });
    expect({ ...result, stderr: result.stderr.replace(dir, '<dir>') }).toEqual({ code: 2, stdout: '', stderr });
    expect(existsSync(at('refused'))).toBe(false);
  });

  it('has its help, and is listed in runbook --help', async () => {
    const help = await runCli(['merge-reports', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Usage: runbook merge-reports <json reports…> [options]');
    expect(help.stdout).toMatch(/--reporter <name> {7}pretty \| json \| junit \| tap \| html \| github\b/);
    expect(help.stdout).not.toContain('literate');
    const main = await runCli(['--help']);
    expect(main.stdout).toContain('  runbook merge-reports <reports…>       ');
    const unknown = await runCli(['merge']);
    expect(unknown.stderr).toContain('Commands: run, check, list, open, merge-reports.');
  });
});
