import { Marked } from 'marked';
import { escapeHtml } from '../../notebook/doc-segments.js';

const linkSchemes = new Set(['http', 'https', 'mailto']);

/**
 * Whether a doc's link may stay a link in the report: a relative URL, a
 * fragment, or http(s)/mailto. Anything else (`javascript:`, `data:`) would run
 * or load something when the report is opened or clicked.
 */
export function isSafeHref(href: string): boolean {
  // URL parsers drop tabs, newlines and leading controls: `java\tscript:` is `javascript:`.
  const cleaned = href.replace(/[\u0000-\u0020\u007f]/g, '');
  const scheme = /^([a-z][a-z\d+.-]*):/i.exec(cleaned)?.[1];
  return scheme === undefined || linkSchemes.has(scheme.toLowerCase());
}

// The report is one file that loads nothing: an image becomes a link to it, raw
// HTML is shown as text, and a link with an unsafe scheme keeps only its text.
const markdown = new Marked({
  gfm: true,
  renderer: {
    html: ({ text }) => escapeHtml(text),
    link({ href, tokens }) {
      return isSafeHref(href) ? false : this.parser.parseInline(tokens);
    },
    image({ href, text }) {
      const label = `[image: ${escapeHtml(text || href)}]`;
      return isSafeHref(href) ? `<a class="image-link" href="${escapeHtml(href)}">${label}</a>` : label;
    },
  },
});

/** A doc's Markdown prose as the report shows it. */
export function reportProse(text: string): string {
  return markdown.parse(text, { async: false });
}
