import type { FenceTokens } from './fence-tokens.js';
import type { FrontmatterSpan } from './frontmatter-span.js';

export type BlockKind = 'code' | 'shell' | 'output' | 'other';

/** One fenced code block of a doc, with everything needed to run it and point at it. */
export interface Block {
  /** 0-based position among the doc's fenced blocks (output and prose fences included). */
  index: number;
  /**
   * For code and shell blocks: 1-based position among them, the number every
   * report, `--step`, `.run N` and `runbook list` show ("block 3").
   */
  number?: number;
  /** The fence's language, lower-cased ('' when none). */
  lang: string;
  kind: BlockKind;
  tokens: FenceTokens;
  /** The code between the fences, without the fence's indentation. */
  source: string;
  /** 1-based line of the opening fence. */
  fenceLine: number;
  /** 1-based line of the block's first source line in the Markdown file. */
  line: number;
  /** Characters before the opening fence on its line (container prefixes, indentation). */
  indent: number;
  /**
   * Per source line, the characters before that line's code in the file, when
   * they are not `indent` on every line: a tab, a `>` without a space, or a line
   * indented less than the fence. Added back when pointing at a column.
   */
  lineIndents?: number[];
  /** Character offsets of the whole fenced block in the file (fences included). */
  start: number;
  end: number;
  /** Headings above the block, outermost first. */
  sections: string[];
  /** The index of the block whose expected stdout this `output` block holds. */
  expectedOutputOf?: number;
  /** For code and shell blocks: the index of their expected-output block, if any. */
  expectedOutput?: number;
}

export interface RunbookDocument {
  /** Path as given (used in messages). */
  path: string;
  /** The file's text as decoded (BOM included). */
  text: string;
  frontmatter: Record<string, unknown>;
  frontmatterSpan: FrontmatterSpan | null;
  title: string;
  /** The doc's first heading, when it is a level-1 heading (the title unless the frontmatter has one). */
  heading?: string;
  blocks: Block[];
}

/** A doc's title: the frontmatter's `title`, else its level-1 first heading, else its path. */
export function docTitle(frontmatter: Record<string, unknown>, heading: string | undefined, path: string): string {
  return typeof frontmatter.title === 'string' ? frontmatter.title : heading ?? path;
}
