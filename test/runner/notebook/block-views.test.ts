import { describe, expect, it } from 'vitest';
import { parseRunbookText } from '../../../src/markdown/parse.js';
import { keepViews } from '../../../src/runner/notebook/block-views.js';
import type { BlockView } from '../../../src/servers/notebook/notebook-protocol.js';

describe('keepViews', () => {
  const view = (index: number, status: BlockView['status']): BlockView => ({ index, status, stdout: '', stderr: '' });
  const parse = (blocks: string[]) => parseRunbookText(blocks.map((code) => `\`\`\`ts\n${code}\n\`\`\`\n`).join('\n'), 'doc.md').blocks;

  it('keeps the last run of blocks whose code did not change, by their new index; edited and new blocks are idle', () => {
    const before = parse(['a()', 'b()', 'c()']);
    const after = parse(['new()', 'a()', 'b2()', 'c()']);
    const views = new Map([[0, view(0, 'passed')], [1, view(1, 'failed')], [2, view(2, 'passed')]]);
    expect([...keepViews(before, after, views).values()].map((kept) => `${kept.index}:${kept.status}`)).toEqual(['0:idle', '1:passed', '2:idle', '3:passed']);
  });
});
