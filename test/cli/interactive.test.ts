import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { cliPath, fence, makeDocs, runCli } from '../support/cli.js';
import { after, Terminal } from '../support/tmux.js';

// Interactive modes need a real terminal: these tests drive the CLI inside a
// private tmux server, type into it and read the screen back.

const doc = [
  '---\ntitle: Counter\n---\n# Counter\n\nSet up.\n\n',
  fence('ts', "const greeting: string = 'hello'\nlet counter = 1\nconst server = await container.server('websocket', { json: true }).start({ port: 0 })"),
  '\nCount.\n\n',
  fence('ts', 'counter += 1\nconsole.log(`${greeting} ${counter}`)'),
  '\nDone.\n\n',
  fence('ts', 'const done = true'),
].join('');

const terminals: Terminal[] = [];
afterEach(() => {
  for (const terminal of terminals.splice(0)) terminal.close();
});

function open(args: string, cwd: string, env = ''): Terminal {
  const terminal = new Terminal(`${env}NO_COLOR=1 ${JSON.stringify(process.execPath)} ${JSON.stringify(cliPath)} ${args}`, cwd);
  terminals.push(terminal);
  return terminal;
}

describe('run --console', () => {
  it('opens a REPL in the doc’s context: its variables, top-level await, .blocks, .run N; exit cleans up', async () => {
    const dir = makeDocs({ 'counter.md': doc });
    const term = open('run counter.md --console', dir);
    await term.waitFor('counter>');

    term.enter('`${greeting} ${counter} ${server.port > 0}`');
    await term.waitFor("'hello 2 true'");

    term.enter('const later = await Promise.resolve(counter * 10)');
    term.enter('later + 1');
    await term.waitFor(/^21$/m);

    term.enter('.blocks');
    await term.waitFor(/  3  ts   line 23 +passed/);

    term.enter('.run 2');
    const rerun = await term.waitFor(/hello 3\n✓ \d+ ms/);
    expect(after(rerun, '.run 2')).toMatch(/┌ block 2 · ts · line 16\n│ counter \+= 1\n│ console.log\(`\$\{greeting\} \$\{counter\}`\)\n└\nhello 3\n✓ \d+ ms/);

    term.enter('nope.x');
    await term.waitFor('repl:1:1 ReferenceError: nope is not defined');

    term.send('C-d');
    const end = await term.waitFor('[exit 0]');
    expect(end).toContain('console closed; cleaned up: 1 server');
    console.log(`--- console screen ---\n${after(end, 'runbook console')}`);
  });

  it('completes the doc’s names with Tab', async () => {
    const dir = makeDocs({ 'counter.md': doc });
    const term = open('run counter.md --console --no-stamp', dir);
    await term.waitFor('counter>');
    term.type('greet');
    term.send('Tab');
    await term.waitFor('counter> greeting');
    term.type('.toUpperC');
    term.send('Tab');
    await term.waitFor('counter> greeting.toUpperCase');
    term.enter('()');
    await term.waitFor("'HELLO'");
  });

  it('opens even when the doc failed, with what ran so far', async () => {
    const dir = makeDocs({ 'broken.md': `# Broken\n\n${fence('ts', 'const ready = 42')}\n${fence('ts', "throw new Error('boom')")}` });
    const term = open('run broken.md --console --no-stamp', dir);
    await term.waitFor('broken>');
    expect(term.screen()).toContain('broken.md:8:7 boom');
    term.enter('ready');
    await term.waitFor(/^42$/m);
    term.send('C-d');
    await term.waitFor('[exit 1]');
  });

  it('masks the doc’s secrets in what it shows: values, output, errors, re-run blocks', async () => {
    const secret = 'console-secret-6f1d2c';
    const leaky = `# Leaky\n\n${fence('ts', 'console.log(`key ${process.env.SERVICE_API_KEY}`)')}`;
    const dir = makeDocs({ 'leaky.md': leaky });
    const terminal = open('run leaky.md --console --no-stamp', dir, `SERVICE_API_KEY=${secret} `);
    await terminal.waitFor('leaky>');
    terminal.enter('process.env.SERVICE_API_KEY');
    await terminal.waitFor("'[REDACTED]'");
    terminal.enter('console.log(process.env.SERVICE_API_KEY + "!")');
    await terminal.waitFor('[REDACTED]!');
    terminal.enter('throw new Error("bad " + process.env.SERVICE_API_KEY)');
    await terminal.waitFor('repl:1:7 bad [REDACTED]');
    terminal.enter('.run 1');
    const screen = await terminal.waitFor(/key \[REDACTED\]\n✓/);
    expect(screen).not.toContain(secret);
  });

  it('is refused without a terminal, and for several docs', async () => {
    const dir = makeDocs({ 'a.md': '# A\n', 'b.md': '# B\n' });
    const noTty = await runCli(['run', 'a.md', '--console'], { cwd: dir });
    expect(noTty.code).toBe(2);
    expect(noTty.stderr).toBe('runbook: --console needs a terminal (stdin is not a terminal): it opens a REPL after the doc runs. Run it in a terminal, or drop --console (e.g. in CI).\n');
    const several = await runCli(['run', 'a.md', 'b.md', '--console'], { cwd: dir });
    expect(several.code).toBe(2);
    expect(several.stderr).toBe('runbook: --console opens a REPL for one doc, but 2 docs matched (a.md, b.md). Name one doc.\n');
  });
});

describe('run --step', () => {
  it('asks before each block: run, skip; quit cleans up and does not stamp', async () => {
    const dir = makeDocs({ 'counter.md': doc });
    const before = readFileSync(join(dir, 'counter.md'), 'utf8');
    const term = open('run counter.md --step', dir);
    await term.waitFor('Run block 1? [r]un (Enter)  [s]kip  [q]uit');
    term.send('r');
    await term.waitFor('Run block 2?');
    term.send('s');
    await term.waitFor('Run block 3?');
    term.send('q');
    const end = await term.waitFor('[exit 0]');
    expect(end).toContain('Run block 2? [r]un (Enter)  [s]kip  [q]uit skip\n○ skipped: skipped at the --step prompt');
    expect(end).toContain('○ not run: the run was stopped at the --step prompt');
    expect(end).not.toContain('hello 2');
    expect(end).toContain('cleaned up: 1 server');
    expect(readFileSync(join(dir, 'counter.md'), 'utf8')).toBe(before);
    console.log(`--- step screen ---\n${after(end, 'Count.')}`);
  });

  it('runs every block when each is confirmed, and stamps', async () => {
    const dir = makeDocs({ 'counter.md': doc });
    const term = open('run counter.md --step --reporter pretty', dir);
    for (const number of [1, 2, 3]) {
      await term.waitFor(`Run block ${number}?`);
      term.send('Enter');
    }
    const end = await term.waitFor('[exit 0]');
    // Without the literate reporter the prompt shows the code itself.
    expect(end).toContain('┌ block 2 · ts · line 16\n│ counter += 1');
    expect(end).toContain('docs: 1 passed, 0 failed, 0 skipped');
    expect(readFileSync(join(dir, 'counter.md'), 'utf8')).toMatch(/\nlastTestPassed: true\n/);
  });

  it('is a usage error without a terminal, never a hang', async () => {
    const dir = makeDocs({ 'a.md': '# A\n' });
    const result = await runCli(['run', 'a.md', '--step'], { cwd: dir, timeoutMs: 5000 });
    expect(result.code).toBe(2);
    expect(result.stderr).toBe('runbook: --step needs a terminal (stdin is not a terminal): it asks before each block whether to run it. Run it in a terminal, or drop --step (e.g. in CI).\n');
  });
});

describe('run --watch', () => {
  it('re-runs within a second of an edit to the doc or a file it imports; a syntax error is shown, not fatal', async () => {
    const dir = makeDocs({
      'w.md': `# Watched\n\n${fence('ts', "import { base } from './helper.mjs'\nconsole.log('base is', base)")}`,
      'helper.mjs': 'export const base = 100\n',
    });
    const term = open('run w.md --watch --no-stamp', dir);
    await term.waitFor('watching 2 files: w.md, helper.mjs');
    expect(term.screen()).toContain('│ base is 100');

    let edited = Date.now();
    writeFileSync(join(dir, 'helper.mjs'), 'export const base = 200\n');
    await term.waitFor('│ base is 200', 3000);
    expect(Date.now() - edited).toBeLessThan(1000);

    edited = Date.now();
    writeFileSync(join(dir, 'w.md'), `# Watched\n\n${fence('ts', 'const a = (')}`);
    const broken = await term.waitFor('watching 1 file: w.md', 3000);
    expect(Date.now() - edited).toBeLessThan(1000);
    expect(broken).toContain('w.md:4:12 Unexpected end of file');
    expect(broken).toContain('failed · watching 1 file');

    writeFileSync(join(dir, 'w.md'), `# Watched\n\n${fence('ts', "console.log('fixed')")}`);
    const fixed = await term.waitFor('passed · watching 1 file', 3000);
    expect(fixed).toContain('│ fixed');
    term.send('C-c');
    const end = await term.waitFor('[exit 130]');
    expect(end).toContain('stopped watching');
    console.log(`--- watch screen ---\n${end}`);
  });

  it('does not re-run because of its own stamp', async () => {
    const dir = makeDocs({ 's.md': `# Stamped\n\n${fence('ts', "console.log('ran')")}` });
    const term = open('run s.md --watch --reporter pretty', dir);
    await term.waitFor('passed · watching 1 file');
    await new Promise((resolve) => setTimeout(resolve, 800));
    expect(term.screen().match(/passed · watching/g)).toHaveLength(1);
    expect(readFileSync(join(dir, 's.md'), 'utf8')).toMatch(/lastTestPassed: true/);
  });
});
