import type { Code, Heading, Root, RootContent } from 'mdast';
import { fromMarkdown } from 'mdast-util-from-markdown';
import { docTitle, type Block, type BlockKind, type RunbookDocument } from './document.js';
import { parseFenceTokens } from './fence-tokens.js';
import { parseFrontmatter } from './frontmatter.js';
import { findFrontmatter } from './frontmatter-span.js';
import { lineIndentsOf, splitLines } from './line-indents.js';

const codeLangs = new Set(['ts', 'typescript', 'js', 'javascript', 'tsx', 'jsx', 'mts', 'mjs']);
const shellLangs = new Set(['sh', 'bash', 'shell', 'zsh']);

function kindOf(lang: string, isOutput: boolean): BlockKind {
  if (isOutput) return 'output';
  if (codeLangs.has(lang)) return 'code';
  if (shellLangs.has(lang)) return 'shell';
  return 'other';
}

function textOf(node: RootContent | Root): string {
  if ('value' in node && typeof node.value === 'string') return node.value;
  if ('children' in node) return (node.children as RootContent[]).map(textOf).join('');
  return '';
}

// Blank out the frontmatter instead of cutting it, so every position the
// Markdown parser reports is still a position in the real file.
function maskFrontmatter(text: string, start: number, end: number): string {
  return text.slice(0, start) + text.slice(start, end).replace(/[^\n]/g, ' ') + text.slice(end);
}

/** Parses a doc's text: frontmatter, fenced blocks with their positions, sections. */
export function parseRunbookText(text: string, path: string): RunbookDocument {
  const span = findFrontmatter(text);
  const frontmatter = parseFrontmatter(text, span, path);
  const body = span ? maskFrontmatter(text, 0, span.end) : text.replace(/^\uFEFF/, ' ');
  const tree = fromMarkdown(body);

  const blocks: Block[] = [];
  let runnable = 0;
  let fileLines: string[] | undefined; // split when the first fenced block needs it
  const headings: { depth: number; text: string }[] = [];
  let firstHeading: string | undefined;

  const visit = (nodes: RootContent[]): void => {
    for (const node of nodes) {
      if (node.type === 'heading') {
        const heading = node as Heading;
        const title = textOf(heading).trim();
        firstHeading ??= heading.depth === 1 ? title : undefined;
        while (headings.length && headings[headings.length - 1]!.depth >= heading.depth) headings.pop();
        headings.push({ depth: heading.depth, text: title });
      } else if (node.type === 'code') {
        const code = node as Code;
        const position = code.position!;
        // A fenced block starts at its fence; indented code (prose) starts at its
        // indentation, even when its first line is ``` (CommonMark example 134).
        if (!/^(`{3,}|~{3,})/.test(text.slice(position.start.offset!, position.start.offset! + 3))) continue;
        const lang = (code.lang ?? '').toLowerCase();
        const fenceLine = position.start.line;
        const tokens = parseFenceTokens(code.meta, `${path}:${fenceLine}`);
        if (lang === 'output') tokens.output = true; // ```output, with no language, is an output fence too
        const kind = kindOf(lang, tokens.output);
        const indent = position.start.column - 1;
        const block: Block = {
          index: blocks.length,
          ...(kind === 'code' || kind === 'shell' ? { number: ++runnable } : {}),
          lang,
          kind,
          tokens,
          source: code.value,
          fenceLine,
          line: fenceLine + 1,
          indent,
          start: position.start.offset!,
          end: position.end.offset!,
          sections: headings.map((h) => h.text),
        };
        const lineIndents = lineIndentsOf((fileLines ??= splitLines(text)), block.line, block.source, indent);
        if (lineIndents) block.lineIndents = lineIndents;
        blocks.push(block);
      } else if ('children' in node && node.type !== 'paragraph') {
        visit(node.children as RootContent[]);
      }
    }
  };
  visit(tree.children);
  linkExpectedOutputs(blocks);

  return { path, text, frontmatter, frontmatterSpan: span, title: docTitle(frontmatter, firstHeading, path), heading: firstHeading, blocks };
}

// An `output` fence belongs to the nearest runnable block before it, with no
// other fence in between.
function linkExpectedOutputs(blocks: Block[]): void {
  for (const block of blocks) {
    if (block.kind !== 'output') continue;
    const previous = blocks[block.index - 1];
    if (previous && (previous.kind === 'code' || previous.kind === 'shell') && previous.expectedOutput === undefined) {
      previous.expectedOutput = block.index;
      block.expectedOutputOf = previous.index;
    }
  }
}
