import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DocSuite } from '../../src/vitest/doc-suite.js';
import { fence, makeDocs } from '../support/cli.js';

// What a test's `context.skip` does in vitest: it ends the test, so it throws here too.
const context = { skip: (note?: string): never => { throw Object.assign(new Error(note ?? 'skipped'), { skipped: true }); } };

describe('DocSuite with typecheck', () => {
  it('fails the block with the type error and runs nothing of the doc', { timeout: 60_000 }, async () => {
    const dir = makeDocs({ 'typed.md': `${fence('ts', "require('node:fs').writeFileSync(require('node:path').join($doc.dir, 'ran.txt'), 'x')")}\n${fence('ts', "const n: number = 'x'")}` });
    const suite = new DocSuite(join(dir, 'typed.md'), { typecheck: true, stamp: false });
    const first = await suite.block(0, context).catch((error: unknown) => error);
    expect(first).toMatchObject({ skipped: true });
    const second = await suite.block(1, context).catch((error: unknown) => error);
    expect(String((second as Error).message)).toContain("TS2322: Type 'string' is not assignable to type 'number'.");
    await suite.finish();
    expect(existsSync(join(dir, 'ran.txt'))).toBe(false);
  });
});
