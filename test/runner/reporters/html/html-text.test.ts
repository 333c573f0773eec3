import { describe, expect, it } from 'vitest';
import { textHtml } from '../../../../src/runner/reporters/html/html-text.js';

describe('textHtml', () => {
  it.each([
    ['markup, ampersands and both quotes', `<a href="x">'&'</a>`, '&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;'],
    ['a script tag', '<script>alert(1)</script>', '&lt;script&gt;alert(1)&lt;/script&gt;'],
    ['terminal colours, dropped', '\x1b[31mred\x1b[39m plain', 'red plain'],
    ['a terminal hyperlink, dropped to its text', '\x1b]8;;https://x\x07link\x1b]8;;\x07', 'link'],
    ['a lone escape, NUL and CR as control pictures', '\x1b a\x00b\rc', '␛ a␀b␍c'],
    ['CRLF as LF', 'a\r\nb', 'a\nb'],
    ['tabs, newlines and other text as they are', 'tab\there\nü → ✓', 'tab\there\nü → ✓'],
  ])('escapes %s', (_name, text, html) => {
    expect(textHtml(text)).toBe(html);
  });
});
