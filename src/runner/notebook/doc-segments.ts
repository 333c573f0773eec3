import pc from 'picocolors';
import { Marked } from 'marked';
import type { Block } from '../../markdown/document.js';
import { findFrontmatter } from '../../markdown/frontmatter-span.js';
import type { CodeSegment, Segment } from '../../servers/notebook/notebook-protocol.js';
import { highlight } from '../highlight.js';
import type { Colors } from '../reporters/format.js';

const escapes: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => escapes[char]!);
}

// The terminal highlighter, reused: its colours become private-use marks
// (text that cannot occur in a doc's code once escaped), then spans.
const open = '\uE000';
const close = '\uE001';
const markWith = (name: string) => (text: unknown) => `${open}${name}${close}${String(text)}${open}${close}`;
const htmlColors: Colors = { ...pc.createColors(false), bold: markWith('b'), cyan: markWith('c'), dim: markWith('d'), green: markWith('g'), magenta: markWith('m'), yellow: markWith('y') };
const markPattern = new RegExp(`${open}([a-z]*)${close}`, 'g');

/** Code as HTML lines with `<span class="hl-…">` around keywords, strings, numbers and comments. */
export function highlightHtml(source: string, lang: string): string[] {
  const clean = source.replace(/[\uE000\uE001]/g, '');
  const marked = escapeHtml(highlight(clean, lang, htmlColors)).replace(markPattern, (_, name: string) => (name ? `<span class="hl-${name}">` : '</span>'));
  // A span (a comment, a template string) may cross lines: each line closes and reopens it.
  const lines: string[] = [];
  let carried: string[] = [];
  for (const line of marked.split('\n')) {
    const text = carried.join('') + line;
    const stack: string[] = [];
    for (const tag of text.matchAll(/<span class="hl-[a-z]+">|<\/span>/g)) {
      if (tag[0] === '</span>') stack.pop();
      else stack.push(tag[0]);
    }
    lines.push(text + '</span>'.repeat(stack.length));
    carried = stack;
  }
  return lines;
}

// Raw HTML in a doc is shown as text: the page holds the session's token, and a doc's prose must not script it.
const markdown = new Marked({ gfm: true, renderer: { html: ({ text }) => escapeHtml(text) } });
const notebookProse = (text: string) => markdown.parse(text, { async: false });

function prose(text: string, render: (markdown: string) => string): Segment[] {
  return text.trim() ? [{ kind: 'prose', html: render(text) }] : [];
}

/**
 * A parsed doc as the notebook page shows it: prose (without the frontmatter)
 * and fenced blocks in file order; an `output` fence rides with the block
 * whose output it holds. `renderProse` turns Markdown into HTML (the HTML
 * report passes its own, stricter one).
 */
export function docSegments(doc: { text: string; blocks: Block[] }, renderProse: (markdown: string) => string = notebookProse): Segment[] {
  const segments: Segment[] = [];
  let at = findFrontmatter(doc.text)?.end ?? 0;
  for (const block of doc.blocks) {
    segments.push(...prose(doc.text.slice(at, block.start), renderProse));
    at = block.end;
    if (block.kind === 'output' && block.expectedOutputOf !== undefined) continue;
    const firstLine = doc.text.slice(block.start, block.end).split('\n')[0] ?? '';
    const info = firstLine.replace(/^[\s>]*(`{3,}|~{3,})\s*/, '').replace(/^\S+\s*/, '').trim();
    const code: CodeSegment = {
      kind: 'code',
      index: block.index,
      number: block.number,
      lang: block.lang,
      info,
      lines: highlightHtml(block.source, block.lang),
      line: block.line,
      runnable: block.kind === 'code' || block.kind === 'shell',
    };
    if (block.expectedOutput !== undefined) code.expected = doc.blocks[block.expectedOutput]?.source;
    segments.push(code);
  }
  segments.push(...prose(doc.text.slice(at), renderProse));
  return segments;
}
