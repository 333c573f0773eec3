import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { htmlReport } from '../../src/runner/reporters/html/page-html.js';
import { summarize, type RunResult } from '../../src/runner/results.js';
import { findChromium, noChromiumReason } from '../support/chromium.js';
import { fence, makeDocs, runCli } from '../support/cli.js';

// `--reporter html` end to end: the real CLI on a passing, a failing and a
// skipped doc, and the page it writes opened from disk in Debian's chromium.

const secret = 'html-secret-4b1d9e';
const docs = {
  'pass.md': [
    '---\ntitle: Passing doc\ntags: [smoke]\n---\n# Passing doc\n\nSome **bold prose**.\n',
    fence('ts', "const greeting = 'hello';\nconsole.log(greeting, 'world');"),
    fence('text output', 'hello world'),
    fence('ts', '21 * 2'),
    fence('yaml', 'just: prose'),
  ].join('\n'),
  'fail.md': [
    '# Failing doc\n\nFirst it works:\n',
    fence('ts', "setInterval(() => {}, 1000);\nconsole.log('<script>window.injected = 1</script>', process.env.HTML_API_TOKEN);"),
    'Then it breaks:\n',
    fence('ts', 'const o: any = {};\no.missing.boom;'),
    fence('ts', "console.log('never');"),
  ].join('\n'),
  'skip.md': `---\nskip: needs a key\n---\n# Skipped doc\n\n${fence('ts', '1')}`,
};
const lineOf = (text: string, start: string) => text.split('\n').findIndex((line) => line.startsWith(start)) + 1;
const failLine = lineOf(docs['fail.md'], 'o.missing.boom');
const chromiumPath = findChromium();
const skipReason = noChromiumReason(chromiumPath);

describe('--reporter html through the CLI', () => {
  it('prints the page to stdout when it has no file and stdout is not a terminal', async () => {
    const dir = makeDocs({ 'pass.md': docs['pass.md'] });
    const result = await runCli(['run', 'pass.md', '--no-stamp', '--reporter', 'html'], { cwd: dir });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout.startsWith('<!doctype html>\n')).toBe(true);
    expect(result.stdout).toContain('data-doc="pass.md"');
  });

  it('refuses to mix the page with another reporter on stdout', async () => {
    const dir = makeDocs({ 'pass.md': docs['pass.md'] });
    const result = await runCli(['run', 'pass.md', '--no-stamp', '--reporter', 'pretty', '--reporter', 'html'], { cwd: dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--reporter html and --reporter pretty would both print to stdout and mix their output. Give html a file: --output-file html:<path>.');
  });
});

describe.skipIf(skipReason !== undefined)(`the HTML report in chromium${skipReason ? ` (${skipReason})` : ''}`, () => {
  let dir = '';
  let html = '';
  let report: RunResult;
  let browser: Browser;
  let page: Page;
  const requests: string[] = [];
  const problems: string[] = [];
  const doc = (path: string) => page.locator(`[data-doc="${path}"]`);
  const failBlock = (number: number) => doc('fail.md').locator(`[data-block="${number}"]`);

  beforeAll(async () => {
    dir = makeDocs(docs);
    const run = await runCli(
      ['run', 'pass.md', 'fail.md', 'skip.md', '--no-stamp', '--reporter', 'json', '--reporter', 'html', '--output-file', 'json:report.json', '--output-file', 'html:out/report.html'],
      { cwd: dir, env: { HTML_API_TOKEN: secret } },
    );
    expect(run.stderr).toBe('');
    expect(run.code).toBe(1);
    html = readFileSync(join(dir, 'out/report.html'), 'utf8');
    report = JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8')) as RunResult;
    if (!chromiumPath) throw new Error("No chromium found (set RUNBOOK_CHROMIUM, or install Debian's chromium): CI must run the HTML report tests.");
    browser = await chromium.launch({ executablePath: chromiumPath });
    page = await browser.newPage({ viewport: { width: 1000, height: 900 } });
    page.on('request', (request) => requests.push(request.url()));
    page.on('console', (message) => {
      if (message.type() === 'error' || message.type() === 'warning') problems.push(`console ${message.type()}: ${message.text()}`);
    });
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    page.on('dialog', (dialog) => {
      problems.push(`dialog: ${dialog.message()}`);
      void dialog.dismiss();
    });
    await page.goto(pathToFileURL(join(dir, 'out/report.html')).href);
  });

  afterAll(async () => {
    await browser?.close();
  });

  it('renders a summary and every doc, and loads nothing but itself', async () => {
    expect(await page.title()).toBe('runbook report: 1 of 3 docs failed');
    const summary = await page.locator('.summary').innerText();
    expect(summary).toContain('docs: 3 (1 passed, 1 failed, 1 skipped)');
    expect(summary).toContain('blocks: 5 (3 passed, 1 failed, 1 not run)');
    expect(summary).toMatch(/time: (\d+ ms|\d+\.\d\d s)/);
    expect(await page.locator('[data-doc]').evaluateAll((els) => els.map((el) => [el.getAttribute('data-doc'), el.getAttribute('data-status')]))).toEqual([
      ['fail.md', 'failed'],
      ['pass.md', 'passed'],
      ['skip.md', 'skipped'],
    ]);
    expect(requests).toEqual([page.url()]);
    expect(problems).toEqual([]);
    // The stylesheet was applied (its hash is in the page's policy): a failed doc has a red edge.
    expect(await doc('fail.md').evaluate((el) => getComputedStyle(el).borderLeftColor)).toBe('rgb(207, 34, 46)');
  });

  it('filters docs by status', async () => {
    // The docs shown, and a note when no doc has the status chosen (none here: each status has a doc).
    const visible = async () => [
      ...(await Promise.all(['fail.md', 'pass.md', 'skip.md'].map(async (path) => ((await doc(path).isVisible()) ? path : '')))).filter(Boolean),
      ...(await page.locator('.empty').evaluateAll((els) => els.filter((el) => getComputedStyle(el).display !== 'none').map((el) => el.textContent))),
    ];
    await page.click('label[for="show-failed"]');
    expect(await visible()).toEqual(['fail.md']);
    await page.click('label[for="show-passed"]');
    expect(await visible()).toEqual(['pass.md']);
    await page.click('label[for="show-skipped"]');
    expect(await visible()).toEqual(['skip.md']);
    await page.click('label[for="show-all"]');
    expect(await visible()).toEqual(['fail.md', 'pass.md', 'skip.md']);
  });

  it('says so when no doc has the status chosen', async () => {
    const passedOnly = await browser.newPage();
    try {
      await passedOnly.setContent(htmlReport(summarize(report.docs.filter((d) => d.status === 'passed'), report.durationMs)));
      await passedOnly.click('label[for="show-failed"]');
      expect(await passedOnly.locator('[data-doc]').isVisible()).toBe(false);
      expect(await passedOnly.locator('.empty[data-for="failed"]').isVisible()).toBe(true);
      expect(await passedOnly.locator('.empty[data-for="failed"]').innerText()).toBe('No failed docs.');
      await passedOnly.click('label[for="show-passed"]');
      expect(await passedOnly.locator('[data-doc="pass.md"]').isVisible()).toBe(true);
      expect(await passedOnly.locator('.empty[data-for="failed"]').isVisible()).toBe(false);
    } finally {
      await passedOnly.close();
    }
  });

  it('shows the failing doc unfolded: its failure located, with the code frame and the failed line marked', async () => {
    expect(await doc('fail.md').getAttribute('open')).toBe('');
    expect(await failBlock(2).getAttribute('data-status')).toBe('failed');
    expect(await failBlock(2).locator('[data-location]').innerText()).toBe(`fail.md:${failLine}:11`); // `.boom` of undefined
    expect(await failBlock(2).locator('.error-message').innerText()).toBe("TypeError: Cannot read properties of undefined (reading 'boom')");
    expect(await failBlock(2).locator('.frame').innerText()).toContain(`> ${failLine} | o.missing.boom;`);
    expect(await failBlock(2).locator('.failed-line').getAttribute('data-line')).toBe(String(failLine));
    expect(await failBlock(3).locator('.reason').innerText()).toBe('not run: an earlier block failed');
    expect(await doc('fail.md').locator('.cleaned-up').innerText()).toBe('cleaned up: 1 interval');
    expect(await page.locator('.failures a').innerText()).toBe(`fail.md · block 2 (ts, line ${failLine - 2})`);
  });

  it('shows prose, code with the doc’s line numbers, output, values and times', async () => {
    await doc('pass.md').locator('summary').click();
    const passDoc = doc('pass.md');
    expect(await passDoc.locator('.prose strong').innerText()).toBe('bold prose');
    const firstCode = lineOf(docs['pass.md'], "const greeting = 'hello';");
    expect(await passDoc.locator('[data-block="1"] > .code .line').evaluateAll((els) => els.map((el) => [el.getAttribute('data-line'), el.textContent]))).toEqual([
      [String(firstCode), "const greeting = 'hello';"],
      [String(firstCode + 1), "console.log(greeting, 'world');"],
    ]);
    expect(await passDoc.locator('[data-block="1"] [data-stream="stdout"]').textContent()).toBe('hello world\n');
    expect(await passDoc.locator('[data-block="1"] .expected').innerText()).toContain('hello world');
    expect(await passDoc.locator('[data-block="2"] [data-value]').innerText()).toBe('→ 42');
    expect(await passDoc.locator('[data-block="2"] .time').innerText()).toMatch(/^\d+ ms$/);
    expect(await passDoc.locator('.block.inert').innerText()).toContain('just: prose');
    expect(await passDoc.locator('.tag').innerText()).toBe('smoke');
    expect(await doc('skip.md').locator('.skip-reason').textContent()).toBe('skipped: needs a key');
  });

  it('escapes what docs print and keeps their secrets masked', async () => {
    expect(await failBlock(1).locator('[data-stream="stdout"]').textContent()).toBe('<script>window.injected = 1</script> [REDACTED]\n');
    expect(await page.evaluate(() => (window as { injected?: number }).injected)).toBeUndefined();
    expect(html).not.toContain(secret);
    expect(problems).toEqual([]);
  });

  it('is the same page when made from the JSON report alone', () => {
    // From results alone the docs' text is read from disk, relative to where the run ran.
    const cwd = process.cwd();
    process.chdir(dir);
    try {
      expect(htmlReport(report)).toBe(html);
    } finally {
      process.chdir(cwd);
    }
  });

  it('looks right: a screenshot of the failing doc', async () => {
    // Tall enough for the whole doc below the filter bar: scrolled, the sticky bar would cover its top.
    await page.setViewportSize({ width: 1000, height: 1400 });
    await page.evaluate(() => window.scrollTo(0, 0));
    const path = join(tmpdir(), 'runbook-html-report-failing-doc.png');
    const png = await doc('fail.md').screenshot({ path });
    expect(png.subarray(1, 4).toString()).toBe('PNG');
    expect(png.length).toBeGreaterThan(10_000);
  });
});
