import { describe, expect, it } from 'vitest';
import { parseRunbookText } from '../../../src/markdown/parse.js';
import { docSegments, highlightHtml } from '../../../src/runner/notebook/doc-segments.js';

const text = [
  '---',
  'title: T',
  '---',
  '# Title',
  '',
  'Prose <b>raw</b>.',
  '',
  '```ts silent',
  'const a = 1 < 2;',
  '```',
  '',
  '```output',
  'x',
  '```',
  '',
  '```text',
  'shown only',
  '```',
  'End.',
  '',
].join('\n');

describe('docSegments', () => {
  const segments = docSegments(parseRunbookText(text, 'doc.md'));

  it('splits prose from fences, without the frontmatter; an output fence rides with its block', () => {
    expect(segments.map((segment) => (segment.kind === 'prose' ? 'prose' : `code ${segment.index}`))).toEqual(['prose', 'code 0', 'code 2', 'prose']);
    const [first, code, other] = segments;
    expect(first).toEqual({ kind: 'prose', html: '<h1>Title</h1>\n<p>Prose &lt;b&gt;raw&lt;/b&gt;.</p>\n' });
    expect(code).toMatchObject({ kind: 'code', index: 0, number: 1, lang: 'ts', info: 'silent', line: 9, runnable: true, expected: 'x' });
    expect(other).toMatchObject({ kind: 'code', index: 2, lang: 'text', runnable: false, lines: ['shown only'] });
  });

  it('highlights code as escaped HTML, spans closed on every line', () => {
    expect(highlightHtml('const a = 1 < 2;', 'ts')).toEqual(['<span class="hl-m">const</span> a = <span class="hl-y">1</span> &lt; <span class="hl-y">2</span>;']);
    expect(highlightHtml('/* a\nb */ x', 'ts')).toEqual(['<span class="hl-d">/* a</span>', '<span class="hl-d">b */</span> x']);
    expect(highlightHtml('<img src=x onerror=alert(1)>', 'html')).toEqual(['&lt;img src=x onerror=alert(1)&gt;']);
  });
});
