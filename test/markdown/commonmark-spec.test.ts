import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { findFrontmatter } from '../../src/markdown/frontmatter-span.js';
import { parseRunbookText } from '../../src/markdown/parse.js';

interface SpecExample {
  markdown: string;
  html: string;
  section: string;
  number: number;
}

const spec = createRequire(import.meta.url)('commonmark-spec') as { tests: SpecExample[] };

// The spec writes tabs as → so they can be seen.
const withTabs = (text: string) => text.replace(/→/g, '\t');

const entities: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', ouml: 'ö' };
function decode(html: string): string {
  return html.replace(/&(#x[\da-f]+|#\d+|[a-z]+);/gi, (whole, name: string) => {
    if (name[0] === '#') return String.fromCodePoint(name[1] === 'x' || name[1] === 'X' ? parseInt(name.slice(2), 16) : Number(name.slice(1)));
    const decoded = entities[name];
    if (decoded === undefined) throw new Error(`add the entity &${name}; to the test's table`);
    return decoded;
  });
}

interface CodeBlock {
  lang: string;
  source: string;
}

// Every code block in the expected HTML, in order: its info string's first word and its text.
function expectedCode(html: string): CodeBlock[] {
  return [...html.matchAll(/<pre><code(?: class="language-([^"]*)")?>([\s\S]*?)<\/code><\/pre>/g)].map((match) => ({
    lang: decode(match[1] ?? '').toLowerCase(),
    // The HTML ends every non-empty code block with a newline; a block's source does not.
    source: decode(match[2]!).replace(/\n$/, ''),
  }));
}

// Which of an example's code blocks are indented code (everything else is a
// fence), read off the spec: whole sections, then single examples.
const indentedSections = new Set(['Tabs', 'Indented code blocks', 'Thematic breaks', 'ATX headings', 'Setext headings', 'HTML blocks', 'Paragraphs']);
const fencedExamples = new Set([19, 24, 34, 212, 237, 263, 318, 321, 324]);
const indentedExamples = new Set([134]);
const mixedExamples: Record<number, boolean[]> = { 278: [true, false] };

function fenced(example: SpecExample, count: number): boolean[] {
  const mixed = mixedExamples[example.number];
  if (mixed) return mixed;
  const isFence = fencedExamples.has(example.number) || (example.section === 'Fenced code blocks' && !indentedExamples.has(example.number));
  if (!isFence && !indentedSections.has(example.section) && !indentedExamples.has(example.number)) {
    // Sections where both kinds occur: every such example must be classified above.
    if (!/```|~~~/.test(example.markdown)) return Array<boolean>(count).fill(false);
    throw new Error(`example ${example.number} (${example.section}) has fences: classify its code blocks in the test`);
  }
  return Array<boolean>(count).fill(isFence);
}

const examples = spec.tests
  .map((example) => ({ ...example, markdown: withTabs(example.markdown), html: withTabs(example.html) }))
  .filter((example) => example.html.includes('<pre><code') || example.section === 'Fenced code blocks' || example.section === 'Indented code blocks')
  // A doc that starts with --- has frontmatter in runbook; CommonMark reads a thematic break.
  .filter((example) => findFrontmatter(example.markdown) === null);

describe('fences as CommonMark 0.31 defines them', () => {
  it('covers the fenced and indented code sections and every other example with code', () => {
    expect(examples.length).toBeGreaterThan(80);
    expect(examples.filter((e) => e.section === 'Fenced code blocks')).toHaveLength(29);
    expect(examples.filter((e) => e.section === 'Indented code blocks')).toHaveLength(12);
  });

  it.each(examples.map((example) => [example.number, example.section, example] as const))('example %i (%s)', (_number, _section, example) => {
    const code = expectedCode(example.html);
    const kinds = fenced(example, code.length);
    const expected = code.filter((_, i) => kinds[i]);
    const blocks = parseRunbookText(example.markdown, 'doc.md').blocks.map((block) => ({ lang: block.lang, source: block.source }));
    expect(blocks).toEqual(expected);
  });
});
