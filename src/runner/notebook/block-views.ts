import type { Block } from '../../markdown/document.js';
import type { BlockView } from '../../servers/notebook/notebook-protocol.js';
import type { BlockResult } from '../results.js';

/** A block that has not run (since the doc was opened, restarted or edited). */
export function idleView(index: number): BlockView {
  return { index, status: 'idle', stdout: '', stderr: '' };
}

/** A block's last run as the page shows it. */
export function viewOf(result: BlockResult): BlockView {
  const { index, status, stdout, stderr, value, error, reason, durationMs } = result;
  return { index, status, stdout, stderr, value, error, reason, durationMs };
}

/**
 * The views to keep after an edit on disk: a block whose code did not change
 * keeps its last run, by its new index; an edited or new block is idle again.
 * Blocks are matched by their code, in order, so inserting a block above does
 * not reset the blocks below it.
 */
export function keepViews(before: Block[], after: Block[], views: Map<number, BlockView>): Map<number, BlockView> {
  const unmatched = new Map<string, Block[]>();
  for (const block of before) {
    const same = unmatched.get(block.source) ?? [];
    same.push(block);
    unmatched.set(block.source, same);
  }
  const kept = new Map<number, BlockView>();
  for (const block of after) {
    if (block.kind !== 'code' && block.kind !== 'shell') continue;
    const old = unmatched.get(block.source)?.shift();
    const view = old && old.kind === block.kind ? views.get(old.index) : undefined;
    kept.set(block.index, view ? { ...view, index: block.index } : idleView(block.index));
  }
  return kept;
}

/** Every runnable block idle: a fresh context. */
export function idleViews(blocks: Block[]): Map<number, BlockView> {
  return new Map(blocks.filter((block) => block.kind === 'code' || block.kind === 'shell').map((block) => [block.index, idleView(block.index)]));
}
