import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { docResult, fence, makeCacheDir, makeDocs, runCli, runJson } from '../support/cli.js';

// Each doc is one notebook: a later block sees an earlier block's names with their types.
const notebook = [
  '# Notebook',
  '',
  fence('ts', "const port: number = '8080'\nlet count = 1\nfunction add(a: number, b: number) {\n  return a + b\n}"),
  fence('ts', "count = 2\nadd('1', 2)\nconst answer = await Promise.resolve(42)"),
  fence('ts', "const port = 'a string now'\nport.toUpperCase()\ncount = 'three'"),
  fence('ts', "const wrong: number = 'not checked'", 'nocheck'),
  fence('js', "const alsoWrong = 1\nalsoWrong.toUpperCase()"),
  fence('js', "// @ts-check\ncount = 'four'"),
].join('\n');

const featureDoc = ['# Features', '', fence('ts', "const pm = container.feature('processManager')\nawait pm.spwn('echo hi')\nui.markdown('typed by name')\nz.string().parse($doc.title)")].join('\n');

// Features' events are typed in docs: the listener's arguments by event name, and only names the feature emits.
const eventsDoc = [
  '# Events',
  '',
  fence(
    'ts',
    [
      "const server = container.server('websocket')",
      "server.on('connection', (socket) => socket.send('hello'))",
      "server.on('listening', (port) => console.log(port.toFixed(0)))",
      "const pm = container.feature('processManager')",
      "pm.on('spawnd', (handle) => console.log(handle))",
      "pm.spawn('true').on('exit', (code: string) => console.log(code))",
    ].join('\n'),
  ),
].join('\n');

const helper = 'export function greet(name: string, times: number): string {\n  return name.repeat(times)\n}\n';
const importer = ['# Imports', '', fence('ts', "import { greet } from './helper.ts'\ngreet('hi', '2')")].join('\n');

function errorLines(stdout: string): string[] {
  return [...stdout.matchAll(/(\S+\.md:\d+:\d+) (TS\d+)/g)].map((match) => `${match[1]} ${match[2]}`);
}

describe('runbook check', () => {
  it('checks a doc as a notebook: each error at its Markdown line, redeclaration and top-level await allowed, nocheck and js not checked unless // @ts-check', async () => {
    const dir = makeDocs({ 'notebook.md': notebook });
    const result = await runCli(['check', 'notebook.md'], { cwd: dir, env: { RUNBOOK_CACHE_DIR: makeCacheDir() }, timeoutMs: 60_000 });
    expect(result.code).toBe(1);
    // Block 1: a wrong assignment. Block 2: a wrong argument to block 1's function.
    // Block 3: `count` keeps block 1's type, though `port` may be declared again; so does the js block that opted in.
    expect(errorLines(result.stdout)).toEqual(['notebook.md:4:7 TS2322', 'notebook.md:13:5 TS2345', 'notebook.md:20:1 TS2322', 'notebook.md:34:1 TS2322']);
    expect(result.stdout).toContain("TS2322: Type 'string' is not assignable to type 'number'.");
    expect(result.stdout).toContain("> 13 | add('1', 2)");
  }, 60_000);

  it('types the container by feature name and the doc globals; finds a misspelled method', async () => {
    const dir = makeDocs({ 'features.md': featureDoc });
    const result = await runCli(['check', 'features.md'], { cwd: dir, env: { RUNBOOK_CACHE_DIR: makeCacheDir() }, timeoutMs: 60_000 });
    expect(errorLines(result.stdout)).toEqual(['features.md:5:10 TS2551']);
    expect(result.stdout).toContain("Property 'spwn' does not exist on type 'ProcessManager'. Did you mean 'spawn'?");
    expect(result.code).toBe(1);
  }, 60_000);

  it("types features' events: listeners get their event's arguments, unknown event names are errors", async () => {
    const dir = makeDocs({ 'events.md': eventsDoc });
    const result = await runCli(['check', 'events.md'], { cwd: dir, env: { RUNBOOK_CACHE_DIR: makeCacheDir() }, timeoutMs: 60_000 });
    expect(errorLines(result.stdout)).toEqual(['events.md:8:7 TS2345', 'events.md:9:29 TS2345']);
    expect(result.stdout).toContain(`Argument of type '"spawnd"' is not assignable to parameter of type`);
    expect(result.stdout).toContain("Type 'number | null' is not assignable to type 'string'.");
    expect(result.code).toBe(1);
  }, 60_000);

  it('resolves local .ts imports as at run time, and notices when an imported file changes', async () => {
    const dir = makeDocs({ 'imports.md': importer, 'helper.ts': helper });
    const env = { RUNBOOK_CACHE_DIR: makeCacheDir() };
    const first = await runCli(['check', 'imports.md', '--reporter', 'json'], { cwd: dir, env, timeoutMs: 60_000 });
    const report = JSON.parse(first.stdout) as { docs: { blocks: { error?: { location?: string; code?: string } }[] }[] };
    expect(report.docs[0]!.blocks[0]!.error).toMatchObject({ location: 'imports.md:5:13', code: 'TS2345' });
    // The doc is unchanged; the helper it imports now takes a string: the cached result must not be used.
    writeFileSync(join(dir, 'helper.ts'), helper.replace('times: number', 'times: string').replace('name.repeat(times)', 'name + times'));
    const second = await runCli(['check', 'imports.md'], { cwd: dir, env, timeoutMs: 60_000 });
    expect([second.code, errorLines(second.stdout)]).toEqual([0, []]);
  }, 60_000);

  it('run --typecheck runs no part of a doc with type errors, and runs the docs without', async () => {
    const dir = makeDocs({
      'typed-wrong.md': [fence('ts', "import { writeFileSync } from 'node:fs'\nwriteFileSync('ran.txt', 'yes')"), fence('ts', "const n: number = 'x'")].join('\n'),
      'typed-right.md': fence('ts', "const n: number = 1\nconsole.log(n + 1)"),
    });
    const { code, report } = await runJson(dir, ['typed-wrong.md', 'typed-right.md'], ['--typecheck', '--no-stamp'], { env: { RUNBOOK_CACHE_DIR: makeCacheDir() }, timeoutMs: 60_000 });
    expect(code).toBe(1);
    expect(existsSync(join(dir, 'ran.txt'))).toBe(false);
    const wrong = docResult(report, 'typed-wrong.md');
    const right = docResult(report, 'typed-right.md');
    expect(wrong.status).toBe('failed');
    expect(wrong.blocks.map((block) => block.status)).toEqual(['not-run', 'failed']);
    expect(wrong.blocks[1]!.error?.message).toBe("TS2322: Type 'string' is not assignable to type 'number'.");
    expect(right.status).toBe('passed');
    expect(right.blocks[0]!.stdout).toBe('2\n');
    expect(readFileSync(join(dir, 'typed-wrong.md'), 'utf8')).not.toContain('lastTested');
  }, 60_000);

  it('keeps a result across frontmatter changes (a stamp), reading the frontmatter afresh and moving the lines with it', async () => {
    const body = fence('ts', "const n: number = 'x'");
    const dir = makeDocs({ 'stamped.md': body });
    const env = { RUNBOOK_CACHE_DIR: makeCacheDir() };
    const first = await runCli(['check', 'stamped.md'], { cwd: dir, env, timeoutMs: 60_000 });
    expect(errorLines(first.stdout)).toEqual(['stamped.md:2:7 TS2322']);
    writeFileSync(join(dir, 'stamped.md'), `---\ntypecheck: false\n---\n${body}`);
    const off = await runCli(['check', 'stamped.md'], { cwd: dir, env, timeoutMs: 60_000 });
    expect([off.code, errorLines(off.stdout)]).toEqual([0, []]);
    writeFileSync(join(dir, 'stamped.md'), `---\nlastTested: 2026-01-01T00:00:00.000Z\nlastTestPassed: true\n---\n${body}`);
    const stamped = await runCli(['check', 'stamped.md'], { cwd: dir, env, timeoutMs: 60_000 });
    expect([stamped.code, errorLines(stamped.stdout)]).toEqual([1, ['stamped.md:6:7 TS2322']]);
    expect(stamped.stdout).toContain("> 6 | const n: number = 'x'");
  }, 60_000);

  it('skips a doc whose frontmatter says typecheck: false, and explains its flags', async () => {
    const dir = makeDocs({ 'off.md': `---\ntypecheck: false\n---\n${fence('ts', "const n: number = 'x'")}` });
    const result = await runCli(['check', 'off.md', '--reporter', 'tap'], { cwd: dir, env: { RUNBOOK_CACHE_DIR: makeCacheDir() } });
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/# SKIP typecheck: false in its frontmatter/);
    const help = await runCli(['check', '--help']);
    expect(help.stdout).toContain('Usage: runbook check');
    // A doc that cannot be read fails with its error; the others are still checked.
    writeFileSync(join(dir, 'broken.md'), `---\ntitle: [unclosed\n---\n${fence('ts', 'const a = 1')}`);
    const broken = await runCli(['check', 'broken.md', 'off.md'], { cwd: dir, env: { RUNBOOK_CACHE_DIR: makeCacheDir() } });
    expect(broken.code).toBe(1);
    expect(broken.stdout).toContain('broken.md:3: invalid YAML in frontmatter');
    expect(broken.stdout).toContain('docs: 0 passed, 1 failed, 1 skipped');
    const bad = await runCli(['check', 'off.md', '--reporter', 'nope'], { cwd: dir });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--reporter');
  }, 60_000);
});
