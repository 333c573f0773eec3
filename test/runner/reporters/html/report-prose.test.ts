import { describe, expect, it } from 'vitest';
import { isSafeHref, reportProse } from '../../../../src/runner/reporters/html/report-prose.js';

describe('isSafeHref', () => {
  it.each([
    ['https://example.com/a?b#c', true],
    ['http://example.com', true],
    ['mailto:someone@example.com', true],
    ['./other.md', true],
    ['../up/doc.md#section', true],
    ['#a-heading', true],
    ['docs/a:b.md', true],
    ['javascript:alert(1)', false],
    ['JavaScript:alert(1)', false],
    ['  javascript:alert(1)', false],
    ['java\tscript:alert(1)', false],
    ['java\nscript:alert(1)', false],
    ['data:text/html,<script>alert(1)</script>', false],
    ['vbscript:msgbox(1)', false],
    ['file:///etc/passwd', false],
  ])('%j → %s', (href, safe) => {
    expect(isSafeHref(href)).toBe(safe);
  });
});

describe('reportProse', () => {
  it.each([
    ['Markdown', 'Some **bold** and `code`.', '<p>Some <strong>bold</strong> and <code>code</code>.</p>\n'],
    ['raw HTML as text', 'Raw <script>alert(1)</script> and <img src=x onerror=alert(2)>.', '<p>Raw &lt;script&gt;alert(1)&lt;/script&gt; and &lt;img src=x onerror=alert(2)&gt;.</p>\n'],
    ['a raw HTML block as text', '<div onclick="x()">\nhi\n</div>', '&lt;div onclick=&quot;x()&quot;&gt;\nhi\n&lt;/div&gt;'],
    ['a safe link', '[docs](https://example.com/docs "The docs")', '<p><a href="https://example.com/docs" title="The docs">docs</a></p>\n'],
    ['a javascript: link as its text', '[click **me**](javascript:alert(1))', '<p>click <strong>me</strong></p>\n'],
    ['an image as a link to it: the page loads nothing', '![a chart](https://example.com/chart.png)', '<p><a class="image-link" href="https://example.com/chart.png">[image: a chart]</a></p>\n'],
    ['an image with an unsafe source as text', '![x"y](javascript:alert(1))', '<p>[image: x&quot;y]</p>\n'],
  ])('renders %s', (_name, markdown, html) => {
    expect(reportProse(markdown)).toBe(html);
  });
});
