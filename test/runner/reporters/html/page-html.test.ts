import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { parseRunbookText } from '../../../../src/markdown/parse.js';
import { htmlReport } from '../../../../src/runner/reporters/html/page-html.js';
import { isSafeHref } from '../../../../src/runner/reporters/html/report-prose.js';
import { blockIdentity, summarize, type BlockResult, type DocResult } from '../../../../src/runner/results.js';
import { makeDocs } from '../../../support/cli.js';
import { syntheticRun } from '../synthetic-run.js';

interface Tag {
  name: string;
  attrs: Map<string, string>;
}

/**
 * Every opening tag of a page, read strictly: `<name attr="value" flag…>` and
 * nothing else. Escaped text has no `<`, so each `<` is a tag the page meant.
 */
function tagsOf(html: string): Tag[] {
  const tags: Tag[] = [];
  for (const [whole, name, rest] of html.matchAll(/<([a-zA-Z][\w-]*)([^>]*)>/g)) {
    const attrs = new Map<string, string>();
    const attribute = /\s+([a-zA-Z][\w-]*)(?:="([^"]*)")?/y;
    let at = 0;
    while (at < rest!.length && rest!.slice(at).trim() !== '') {
      attribute.lastIndex = at;
      const match = attribute.exec(rest!);
      if (!match) throw new Error(`unreadable tag ${whole}`);
      if (attrs.has(match[1]!)) throw new Error(`duplicate attribute in ${whole}`);
      attrs.set(match[1]!, match[2] ?? '');
      at = attribute.lastIndex;
    }
    tags.push({ name: name!.toLowerCase(), attrs });
  }
  return tags;
}

/** What a page must never hold, whatever a doc printed: a script, a handler, a frame, a form, an image or a dangerous link. */
function expectInert(html: string): void {
  const tags = tagsOf(html);
  expect(tags.filter((tag) => /^(script|img|iframe|object|embed|svg|math|form|base|frame|video|audio|source)$/.test(tag.name)).map((tag) => tag.name)).toEqual([]);
  expect(tags.flatMap((tag) => [...tag.attrs.keys()].filter((name) => /^on/i.test(name)))).toEqual([]);
  expect(tags.flatMap((tag) => [tag.attrs.get('href'), tag.attrs.get('src')]).filter((url) => url !== undefined && !isSafeHref(url) && url !== 'data:,')).toEqual([]);
  expect(tags.filter((tag) => tag.name === 'style')).toHaveLength(1);
  expect(tags.filter((tag) => tag.name === 'link').map((tag) => tag.attrs.get('rel'))).toEqual(['icon']);
}

// Text that breaks out of an element, out of an attribute, or colours a terminal.
const hostile = (where: string) => `<script>alert("${where}")</script><img src=x onerror=alert(1)>" onmouseover="alert(2)' \x1b[31m`;
const escaped = (where: string) => `&lt;script&gt;alert(&quot;${where}&quot;)&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;&quot; onmouseover=&quot;alert(2)&#39; `;

// Fixtures of any status: the union's fields are checked by the page, not by these tests.
const block = (fields: Partial<BlockResult> & Pick<BlockResult, 'index' | 'number' | 'line'>): BlockResult => ({ lang: 'ts', status: 'passed', durationMs: 3, stdout: '', stderr: '', ...fields }) as BlockResult;

const doc = (fields: Partial<DocResult> & Pick<DocResult, 'path'>): DocResult => ({
  title: fields.path,
  tags: [],
  status: 'passed',
  durationMs: 20,
  blocks: [],
  cleanedUp: [],
  stamped: false,
  warnings: [],
  ...fields,
});

describe('htmlReport: escaping', () => {
  const hostileError = {
    name: hostile('name'),
    message: hostile('message'),
    code: hostile('code'),
    location: hostile('location'),
    frame: hostile('frame'),
    diff: `+${hostile('diff')}`,
    stack: hostile('stack'),
  };
  const run = summarize(
    [
      doc({
        path: hostile('path'),
        title: hostile('title'),
        tags: [hostile('tag')],
        status: 'failed',
        blocks: [
          block({ index: 0, number: 1, line: 3, stdout: hostile('stdout'), stderr: hostile('stderr'), value: hostile('value') }),
          block({ index: 1, number: 2, line: 9, lang: hostile('lang'), status: 'failed', error: hostileError }),
          block({ index: 2, number: 3, line: 12, status: 'not-run', reason: hostile('reason') }),
        ],
        error: { ...hostileError, message: hostile('doc error') },
        cleanedUp: [hostile('cleanup')],
        warnings: [hostile('warning')],
      }),
      doc({ path: 'skipped.md', status: 'skipped', skipReason: hostile('skip reason') }),
    ],
    50,
  );
  const html = htmlReport(run);

  it('shows what a run produced as text, never as markup', () => {
    expectInert(html);
    for (const where of ['path', 'title', 'tag', 'stdout', 'stderr', 'value', 'name', 'message', 'location', 'frame', 'diff', 'stack', 'reason', 'doc error', 'cleanup', 'warning', 'skip reason', 'lang']) {
      expect(html, where).toContain(escaped(where));
    }
    expect(html).toContain(`data-code="${escaped('code')}"`);
    expect(html).not.toContain('\x1b');
  });

  it('shows a doc’s prose and code as text where they hold markup, and its links only when safe', () => {
    const text = [
      '# Title <script>alert(1)</script>',
      '',
      'Raw <img src=x onerror=alert(2)>, a [link](javascript:alert(3)), ![pic](javascript:alert(4)), ![chart](https://example.com/c.png).',
      '',
      '<iframe src="https://example.com"></iframe>',
      '',
      '```ts',
      "'</code></pre><script>alert(5)</script>'",
      '```',
      '',
      '```"><script>alert(6)</script>',
      'x',
      '```',
      '',
    ].join('\n');
    const parsed = parseRunbookText(text, 'prose.md');
    const ranText = new Map([['prose.md', text]]);
    const page = htmlReport(summarize([doc({ path: 'prose.md', blocks: [block({ ...blockIdentity(parsed.blocks[0]!), status: 'passed' })] })], 5), ranText);
    expectInert(page);
    expect(page).toContain('<h1>Title &lt;script&gt;alert(1)&lt;/script&gt;</h1>');
    expect(page).toContain('Raw &lt;img src=x onerror=alert(2)&gt;, a link, [image: pic], <a class="image-link" href="https://example.com/c.png">[image: chart]</a>.');
    expect(page).toContain('&lt;iframe src=&quot;https://example.com&quot;&gt;&lt;/iframe&gt;');
    expect(page).toContain('&lt;/code&gt;&lt;/pre&gt;&lt;script&gt;alert(5)&lt;/script&gt;');
    expect(page).toContain('&quot;&gt;&lt;script&gt;alert(6)&lt;/script&gt; · line 11');
  });

  it('allows only its own stylesheet, by hash, and nothing to load or run', () => {
    const style = /<style>([\s\S]*)<\/style>/.exec(html)![1]!;
    const policy = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(html)![1]!;
    expect(policy).toBe(`default-src 'none'; style-src 'sha256-${createHash('sha256').update(style).digest('base64')}'; img-src data:; base-uri 'none'; form-action 'none'`);
  });
});

describe('htmlReport: a run', () => {
  const html = htmlReport(syntheticRun());
  const docTags = tagsOf(html).filter((tag) => tag.attrs.has('data-doc'));

  it('sums the run up: docs, blocks, time, and every failure linked to its block', () => {
    expect(html).toContain('<title>runbook report: 3 of 5 docs failed</title>');
    expect(html).toContain('<span>docs: <b>5</b> (1 passed, 3 failed, 1 skipped)</span>');
    expect(html).toContain('<span>blocks: <b>8</b> (3 passed, 2 failed, 1 timed out, 1 skipped, 1 not run)</span>');
    expect(html).toContain('<span>time: <b>4.32 s</b></span>');
    const failures = /<ol class="failures">([\s\S]*?)<\/ol>/.exec(html)![1]!;
    expect(failures.match(/href="#[^"]+"/g)).toEqual(['href="#doc-2-block-2"', 'href="#doc-3-block-1"', 'href="#doc-3-block-2"', 'href="#doc-5"']);
    expect(failures).toContain('<a href="#doc-2-block-2">docs/fail.md · block 2 (ts, line 7)</a> <code>docs/fail.md:9:3</code> TypeError: Cannot read properties of undefined (reading &#39;y&#39;)');
  });

  it('offers a filter per status with its count, and a doc per result in run order', () => {
    expect(tagsOf(html).filter((tag) => tag.name === 'input').map((tag) => [tag.attrs.get('id'), tag.attrs.has('checked')])).toEqual([
      ['show-all', true],
      ['show-failed', false],
      ['show-passed', false],
      ['show-skipped', false],
      ['show-not-run', false],
    ]);
    expect(html).toContain('<label for="show-failed" data-filter="failed">failed <b>3</b></label>');
    // Only a status no doc has gets its "No … docs." note.
    expect(html.match(/class="empty" data-for="[^"]+"/g)).toEqual(['class="empty" data-for="not-run"']);
    const allPassed = htmlReport(summarize([syntheticRun().docs[0]!], 5));
    expect(allPassed).toContain('<p class="empty" data-for="failed">No failed docs.</p><p class="empty" data-for="skipped">No skipped docs.</p>');
    expect(allPassed).not.toContain('No passed docs.');
    expect(docTags.map((tag) => [tag.attrs.get('data-doc'), tag.attrs.get('data-status'), tag.attrs.has('open')])).toEqual([
      ['docs/pass.md', 'passed', false],
      ['docs/fail.md', 'failed', true],
      ['docs/issue #4, 100%: odd\\name.md', 'failed', true],
      ['docs/skip.md', 'skipped', false],
      ['docs/broken.md', 'failed', true],
    ]);
  });

  it('shows results alone, with the reason, when a doc’s text cannot be had', () => {
    expect(html).toContain(`<p class="note">The doc's text is not shown: it cannot be read (ENOENT). Its blocks' results follow.</p>`);
    expect(html).toContain(`<p class="note">The doc's text is not shown: it cannot be read (ENOENT).</p>`);
    expect(html).toContain('<div class="location" data-location>docs/fail.md:9:3</div><div class="error-message">TypeError: Cannot read properties of undefined (reading &#39;y&#39;)</div><pre class="frame">');
    expect(html).toContain('<span class="focus">&gt; 9 | a.x.y</span>\n<span class="focus">    |   ^</span>');
    expect(html).toContain('<pre class="diff"><span class="del">- expected 1</span>\n<span class="add">+ actual 2</span></pre>');
    expect(html).toContain('<p class="reason">not run: an earlier block failed</p>');
    expect(html).toContain('<p class="note cleaned-up">cleaned up: 1 server, 1 interval</p>');
    expect(html).toContain('<p class="note skip-reason">skipped: requires environment variable OPENAI_API_KEY (not set)</p>');
    expect(html).toContain('<pre class="stdout" data-stream="stdout">hello &lt;world&gt; &amp; &quot;friends&quot; &#39;too&#39;\nred and a ␀ nul\nlone \ud800 half\n</pre>');
  });
});

describe('htmlReport: a doc’s source', () => {
  const text = [
    '---', //                                 1
    'title: Source doc', //                   2
    'secretNote: frontmatter is not shown', // 3
    '---', //                                 4
    '# Source doc', //                        5
    '', //                                    6
    'Some **prose**.', //                     7
    '', //                                    8
    '```ts', //                               9
    "console.log('hi')", //                  10
    '```', //                                11
    '', //                                   12
    '```output', //                          13
    'hi', //                                 14
    '```', //                                15
    '', //                                   16
    '```ts', //                              17
    'const a = 1', //                        18
    'a.b.c', //                              19
    '```', //                                20
    '', //                                   21
    '```yaml', //                            22
    'k: v', //                               23
    '```', //                                24
    '', //                                   25
    '```ts', //                              26
    'later()', //                            27
    '```', //                                28
    '',
  ].join('\n');
  const parsed = parseRunbookText(text, 'src.md');
  const [first, , second, , third] = parsed.blocks.map(blockIdentity);
  const result = doc({
    path: 'src.md',
    title: 'Source doc',
    status: 'failed',
    blocks: [
      block({ ...first!, stdout: 'hi\n' }),
      block({ ...second!, status: 'failed', error: { name: 'TypeError', message: 'boom', location: 'src.md:19:3', line: 19, column: 3 } }),
      block({ ...third!, status: 'not-run', reason: 'an earlier block failed' }),
    ],
  });

  const codeLines = (html: string, number: number) => {
    const card = new RegExp(`data-block="${number}"[^>]*>(.*?)</code></pre>`).exec(html)![1]!;
    return [...card.matchAll(/<span class="line( failed-line)?" data-line="(\d+)">/g)].map((m) => `${m[2]}${m[1] ? ' failed' : ''}`);
  };

  it('renders prose and code in file order with the doc’s own line numbers, the failed line marked', () => {
    const html = htmlReport(summarize([result], 20), new Map([['src.md', text]]));
    expect(html).not.toContain('secretNote');
    expect(html).toContain('<div class="prose"><h1>Source doc</h1>\n<p>Some <strong>prose</strong>.</p>\n</div>');
    expect(codeLines(html, 1)).toEqual(['10']);
    expect(codeLines(html, 2)).toEqual(['18', '19 failed']);
    expect(codeLines(html, 3)).toEqual(['27']);
    expect(html).toContain('<div class="expected"><div class="caption">expected output · line 13</div><pre class="code"><code><span class="line" data-line="14">hi</span></code></pre></div>');
    expect(html).toContain('<div class="block inert"><div class="block-head"><span class="label">yaml · line 22</span></div><pre class="code"><code><span class="line" data-line="23">k: v</span></code></pre></div>');
    const order = ['<h1>Source doc</h1>', 'data-block="1"', 'expected output', 'data-block="2"', 'yaml · line 22', 'data-block="3"'].map((marker) => html.indexOf(marker));
    expect(order).toEqual([...order].sort((a, b) => a - b));
  });

  it('reads the doc from disk when the run did not say what it ran, and not when it changed since', () => {
    const dir = makeDocs({ 'same.md': text, 'edited.md': text.replace('# Source doc', '# Source doc\n\nA new paragraph.\n') });
    const fromDisk = (name: string) => htmlReport(summarize([{ ...result, path: `${dir}/${name}` }], 20));
    expect(codeLines(fromDisk('same.md'), 2)).toEqual(['18', '19 failed']);
    const edited = fromDisk('edited.md');
    expect(edited).toContain(`The doc's text is not shown: it changed since the run (block 1 is no longer a ts fence at line 9).`);
    expect(edited).not.toContain('A new paragraph');
    expect(edited).toContain('<div class="location" data-location>src.md:19:3</div>');
  });
});
