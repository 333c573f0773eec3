import type { ErrorReport } from '../../../src/engine/error-report.js';
import type { BlockResult, DocResult, RunResult } from '../../../src/runner/results.js';
import { summarize } from '../../../src/runner/results.js';

// A block's fields besides its identity: a status with the fields it has.
type BlockFields = Partial<Pick<BlockResult, 'durationMs' | 'stdout' | 'stderr' | 'value'>> &
  ({ status?: 'passed' } | { status: 'failed' | 'timed-out'; error: ErrorReport } | { status: 'skipped' | 'not-run'; reason: string });

// `index` counts every fence, `number` code and shell blocks only: the two differ
// wherever an output fence comes first, so a report that shows the wrong one fails.
const block = (number: number, index: number, line: number, fields: BlockFields = {}): BlockResult => ({
  index,
  number,
  lang: 'ts',
  line,
  status: 'passed',
  durationMs: 12,
  stdout: '',
  stderr: '',
  ...fields,
});

const doc = (path: string, fields: Partial<DocResult>): DocResult => ({
  path,
  title: path,
  tags: [],
  status: 'passed',
  durationMs: 1234,
  blocks: [],
  cleanedUp: [],
  stamped: false,
  warnings: [],
  ...fields,
});

/** Output with markup, quotes, an ANSI colour, a NUL, a CR and a lone surrogate. */
export const trickyStdout = 'hello <world> & "friends" \'too\'\n\x1b[31mred\x1b[39m and a \x00 nul\r\nlone \ud800 half\n';

export const failFrame = '  8 | const a: any = undefined\n> 9 | a.x.y\n    |   ^\n 10 | ```';

export const passDoc = doc('docs/pass.md', {
  tags: ['smoke', 'a&b'],
  blocks: [block(1, 0, 5, { stdout: trickyStdout }), block(2, 2, 11, { durationMs: 7, stderr: 'careful ]]> here\n' })],
});

export const failDoc = doc('docs/fail.md', {
  status: 'failed',
  durationMs: 88,
  blocks: [
    block(1, 0, 3, { stdout: 'before\n' }),
    block(2, 2, 7, {
      status: 'failed',
      durationMs: 5,
      stdout: 'partial\n',
      error: {
        name: 'TypeError',
        message: "Cannot read properties of undefined (reading 'y')",
        location: 'docs/fail.md:9:3',
        line: 9,
        column: 3,
        frame: failFrame,
        stack: "TypeError: Cannot read properties of undefined (reading 'y')\n    at docs/fail.md:9:3",
      },
    }),
    block(3, 3, 13, { status: 'not-run', durationMs: 0, reason: 'an earlier block failed' }),
    block(4, 5, 17, { status: 'skipped', durationMs: 0, reason: 'fence says skip' }),
  ],
  cleanedUp: ['1 server', '1 interval'],
  warnings: ['cleanup of server failed: EPERM, at 50%'],
});

export const mismatchDoc = doc('docs/issue #4, 100%: odd\\name.md', {
  status: 'failed',
  durationMs: 2500,
  blocks: [
    block(1, 1, 4, {
      status: 'failed',
      error: { code: 'RUNBOOK_OUTPUT_MISMATCH', message: 'Output does not match the output block', location: 'docs/issue #4, 100%: odd\\name.md:9:1', line: 9, column: 1, diff: '- expected 1\n+ actual 2' },
    }),
    block(2, 3, 12, { status: 'timed-out', durationMs: 30000, error: { code: 'RUNBOOK_BLOCK_TIMEOUT', message: 'Timed out after 30000 ms.', location: 'docs/issue #4, 100%: odd\\name.md:12:1', line: 12, column: 1 } }),
  ],
});

export const skipDoc = doc('docs/skip.md', { status: 'skipped', durationMs: 0, skipReason: 'requires environment variable OPENAI_API_KEY (not set)' });

export const brokenDoc = doc('docs/broken.md', {
  status: 'failed',
  durationMs: 3,
  error: { code: 'RUNBOOK_INVALID_FRONTMATTER', message: 'Invalid frontmatter: bad indentation\nat line 2', location: 'docs/broken.md:2:1', line: 2, column: 1 },
});

/** A doc none of whose blocks ran (`--eval-mode none`); kept out of syntheticRun(), whose counts other tests pin. */
export const notRunDoc = doc('docs/shown.md', {
  status: 'not-run',
  skipReason: 'eval mode is none',
  durationMs: 40,
  blocks: [block(1, 0, 3, { status: 'skipped', durationMs: 0, reason: 'eval mode is none' }), block(2, 1, 8, { status: 'skipped', durationMs: 0, reason: 'eval mode is none' })],
});

/** Five docs covering every block and doc status but `not-run`, with text that needs escaping. */
export function syntheticRun(): RunResult {
  return summarize([passDoc, failDoc, mismatchDoc, skipDoc, brokenDoc], 4321);
}
