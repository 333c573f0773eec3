import type { Block } from '../markdown/document.js';
import type { StreamName } from './output-stream.js';
import type { BlockResult, DocResult, RunResult } from './results.js';

/** What a reporter knows about a doc before it runs: enough to render its prose. */
export interface DocStart {
  path: string;
  title: string;
  text: string;
  /** Every fence; `number` (as in "block 3") only on code and shell blocks. */
  blocks: { index: number; number?: number; lang: string; kind: string; line: number; start: number; end: number; silent: boolean }[];
}

/** A parsed doc as reporters hear of it when it starts. */
export function docStart(path: string, doc: { title: string; text: string; blocks: readonly Pick<Block, 'index' | 'number' | 'lang' | 'kind' | 'fenceLine' | 'start' | 'end' | 'tokens'>[] }): DocStart {
  return {
    path,
    title: doc.title,
    text: doc.text,
    blocks: doc.blocks.map((b) => ({ index: b.index, number: b.number, lang: b.lang, kind: b.kind, line: b.fenceLine, start: b.start, end: b.end, silent: b.tokens.silent })),
  };
}

/** A block starts; `timeoutMs` is the limit in force for it. */
export interface BlockStart {
  path: string;
  index: number;
  timeoutMs: number;
}

/** A piece of what a running block printed (secrets masked). */
export interface BlockOutput {
  path: string;
  index: number;
  stream: StreamName;
  text: string;
}

export interface BlockEnd {
  path: string;
  result: BlockResult;
}

/**
 * Hooks a reporter may implement, all optional (vitest's reporter pattern).
 * Events carry plain data so they can cross from a worker process.
 */
export interface RunEvents {
  onRunStart?(docs: string[]): void;
  onDocStart?(doc: DocStart): void;
  onBlockStart?(event: BlockStart): void;
  onBlockOutput?(event: BlockOutput): void;
  onBlockEnd?(event: BlockEnd): void;
  onDocEnd?(result: DocResult): void;
  onRunEnd?(result: RunResult): void | Promise<void>;
}
