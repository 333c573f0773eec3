import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { findChromium } from '../support/chromium.js';
import { cliPath, fence, makeDocs } from '../support/cli.js';

// `runbook open` end to end: the real CLI, the real page, Debian's chromium.
// One server and one browser for the file; the tests run in order on one doc.

const chromiumPath = findChromium();
const docName = 'doc.md';
const doc = [
  '---\ntitle: Notebook test\n---\n# Notebook test\n\nSome **prose**.\n',
  fence('ts', "const greeting = 'hello';\nconsole.log(greeting, 'world');"),
  fence('output', 'hello world'),
  fence('ts', '(globalThis as any).runs = ((globalThis as any).runs ?? 0) + 1;'),
  fence('ts', 'const n: number = 21 * 2;\nn'),
  'And then it fails:\n',
  fence('ts', "throw new Error('boom at ' + n);"),
  fence('ts', 'console.log(process.env.NOTEBOOK_API_TOKEN);'),
  fence('output', '[REDACTED]'),
].join('\n');

/** A secret in the doc's environment: the page never shows it. */
const secret = 'nb-secret-7f3a9c2e';

/** Where block 5's error points: its `throw`, column 7. */
const failureAt = `doc.md:${doc.split('\n').findIndex((line) => line.startsWith('throw')) + 1}:7`;

let dir: string;
let child: ChildProcess;
/** What the CLI wrote to stderr: shown when a test fails. */
let stderr = '';
let url: URL;
let browser: Browser;
let page: Page;

// The processes the CLI started (executors): none may outlive it.
function childrenOf(pid: number): number[] {
  if (!existsSync('/proc')) return [];
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .filter((name) => {
      try {
        return readFileSync(`/proc/${name}/stat`, 'utf8').replace(/^.*\) /, '').split(' ')[1] === String(pid);
      } catch {
        return false;
      }
    })
    .map(Number);
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

function firstLine(process: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    process.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      text += chunk;
      if (text.includes('\n')) resolve(text.split('\n')[0]!);
    });
    process.once('exit', (code) => reject(new Error(`runbook open exited (${code}) before printing its URL`)));
  });
}

const block = (index: number) => page.locator(`[data-block="${index}"]`);
const waitStatus = (index: number, status: string) => page.waitForSelector(`[data-block="${index}"][data-status="${status}"]`, { timeout: 15_000 });

async function evaluate(code: string): Promise<string> {
  const entries = await page.locator('[data-console-entry]').count();
  await page.locator('[data-console] input').fill(code);
  await page.locator('[data-console] input').press('Enter');
  const entry = page.locator('[data-console-entry]').nth(entries);
  await entry.waitFor({ timeout: 10_000 });
  return entry.innerText();
}

function httpStatus(path: string, headers: Record<string, string> = {}): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request({ host: url.hostname, port: url.port, path, headers }, (response) => {
      response.resume();
      resolve(response.statusCode!);
    });
    req.on('error', reject);
    req.end();
  });
}

function wsOutcome(path: string, origin: string): Promise<string> {
  return new Promise((resolve) => {
    const socket = new WebSocket(`ws://${url.host}${path}`, { origin });
    socket.on('open', () => {
      socket.close();
      resolve('open');
    });
    socket.on('unexpected-response', (_request, response) => resolve(`refused ${response.statusCode}`));
    socket.on('error', (error) => resolve(`error ${error.message}`));
  });
}

describe.skipIf(!chromiumPath && !process.env.CI)('runbook open (notebook in chromium)', () => {
  beforeAll(async () => {
    dir = makeDocs({ [docName]: doc });
    child = spawn(process.execPath, [cliPath, 'open', docName, '--no-browser', '--no-stamp'], { cwd: dir, env: { ...process.env, NO_COLOR: '1', NOTEBOOK_API_TOKEN: secret }, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const line = await firstLine(child);
    expect(line).toMatch(/^runbook notebook: http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]{20,}$/);
    url = new URL(line.replace('runbook notebook: ', ''));
    if (!chromiumPath) throw new Error('No chromium found (set RUNBOOK_CHROMIUM, or install Debian\'s chromium): CI must run the notebook tests.');
    browser = await chromium.launch({ executablePath: chromiumPath });
    page = await browser.newPage();
    await page.goto(url.href);
    await page.waitForSelector('[data-block="0"]');
  });

  afterEach((context) => {
    if (context.task.result?.state === 'fail') console.error(`runbook open's stderr so far:\n${stderr}`);
  });

  afterAll(async () => {
    await browser?.close();
    if (child && child.exitCode === null) child.kill('SIGKILL');
  });

  it('runs all: statuses and outputs arrive, and the failure is located', async () => {
    await expect(block(0).getAttribute('data-status')).resolves.toBe('idle');
    await page.click('[data-action="run-all"]');
    await waitStatus(4, 'failed');
    expect(await block(0).getAttribute('data-status')).toBe('passed');
    expect(await block(0).locator('[data-output]').innerText()).toContain('hello world');
    expect(await block(3).locator('[data-output]').innerText()).toContain('42');
    expect(await block(4).locator('[data-location]').innerText()).toBe(failureAt);
    expect(await block(4).locator('.frame').innerText()).toContain("throw new Error('boom at ' + n);");
  });

  it('evaluates console input in the doc’s context', async () => {
    expect(await evaluate('n * 2')).toContain('84');
    expect(await evaluate('console.log(greeting.toUpperCase())')).toContain('HELLO');
  });

  it('re-runs one block in the same context', async () => {
    expect(await block(2).getAttribute('data-status')).toBe('passed');
    expect(await evaluate('(globalThis as any).runs')).toContain('1');
    await block(2).locator('[data-action="run"]').click();
    await page.waitForFunction(() => document.querySelector('[data-block="2"] [data-output]')?.textContent?.includes('2'));
    expect(await block(2).getAttribute('data-status')).toBe('passed');
  });

  it('reloads an edit on disk into the live context, and shows an output mismatch as a diff', async () => {
    const edited = doc.replace('hello world\n```', 'hello there\n```').replace('21 * 2', '21 * 3').replace('Some **prose**.', 'Edited **prose**.');
    writeFileSync(join(dir, docName), edited);
    await page.waitForFunction(() => document.querySelector('main')?.textContent?.includes('Edited prose.'), undefined, { timeout: 10_000 });
    expect(await block(3).getAttribute('data-status')).toBe('idle'); // its code changed
    expect(await block(0).getAttribute('data-status')).toBe('passed'); // unchanged
    await block(0).locator('[data-action="run"]').click();
    await waitStatus(0, 'failed');
    const diff = await block(0).locator('.diff').innerText();
    expect(diff).toContain('-hello there');
    expect(diff).toContain('+hello world');
    await block(3).locator('[data-action="run"]').click();
    await page.waitForFunction(() => document.querySelector('[data-block="3"] [data-value]')?.textContent?.includes('63'));
    expect(await evaluate('greeting')).toContain('hello'); // the context was kept
  });

  it('runs from a block to the end, stopping at the failure', async () => {
    await block(2).locator('[data-action="run-from"]').click();
    // Block 4 already shows run-all's failure ("boom at 42"): wait for this run's own, whose n is 63.
    await page.waitForFunction(() => document.querySelector('[data-block="4"] .error-message')?.textContent?.includes('boom at 63'), undefined, { timeout: 15_000 });
    expect(await block(4).getAttribute('data-status')).toBe('failed');
    expect(await block(4).locator('[data-location]').innerText()).toBe(failureAt);
  });

  it('restarts with a fresh context', async () => {
    await page.click('[data-action="restart"]');
    await waitStatus(4, 'idle');
    expect(await evaluate('typeof n')).toContain("'undefined'");
  });

  it('masks the doc’s secrets, and compares output with its fence masked, as runbook run does', async () => {
    await block(5).locator('[data-action="run"]').click();
    await waitStatus(5, 'passed');
    expect(await block(5).locator('[data-output]').innerText()).toContain('[REDACTED]');
    expect(await evaluate('process.env.NOTEBOOK_API_TOKEN')).toContain('[REDACTED]');
    expect(await page.content()).not.toContain(secret);
  });

  it('refuses HTTP without the token, with a wrong one, and with a foreign Host', async () => {
    expect(await httpStatus('/')).toBe(403);
    expect(await httpStatus('/?token=wrong')).toBe(403);
    expect(await httpStatus('/notebook.js')).toBe(403);
    expect(await httpStatus(`/${url.search}`)).toBe(200);
    expect(await httpStatus(`/elsewhere${url.search}`)).toBe(404);
    expect(await httpStatus(`/${url.search}`, { Host: `evil.example:${url.port}` })).toBe(403);
  });

  it('refuses a websocket from a foreign Origin, or without the token', async () => {
    const own = `http://${url.host}`;
    expect(await wsOutcome(`/ws${url.search}`, 'http://evil.example')).toBe('refused 403');
    expect(await wsOutcome(`/ws${url.search}`, `http://evil.example:${url.port}`)).toBe('refused 403');
    expect(await wsOutcome('/ws?token=wrong', own)).toBe('refused 403');
    expect(await wsOutcome(`/ws${url.search}`, own)).toBe('open');
  });

  it('closes the executor and the server on SIGTERM', async () => {
    const executors = childrenOf(child.pid!);
    expect(executors.length).toBeGreaterThan(0);
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    expect(await exited).toBe(143);
    // SIGKILLed with their process group as the CLI closed: gone within moments (zombies aside, reaped by init).
    for (let waited = 0; executors.some(alive) && waited < 2000; waited += 50) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(executors.filter(alive).map((pid) => `${pid}: ${readFileSync(`/proc/${pid}/cmdline`, 'utf8')}`)).toEqual([]);
  });
});
