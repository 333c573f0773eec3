import * as z from 'zod';
import type { ErrorReport } from '../../engine/error-report.js';
import type { BlockResult, DocResult } from '../results.js';
import { reportSchemaVersion, type JsonReport } from './json.js';

// The one description of the JSON report: `runbook merge-reports` validates its
// inputs with it, and the build writes it out as schema/report.schema.json.

const count = z.int().nonnegative();
const milliseconds = z.int().nonnegative();
const line = z.int().positive();

const errorReportSchema = z
  .strictObject({
    message: z.string().describe('What went wrong, secrets masked.'),
    name: z.string().optional().describe("The error's class name, e.g. TypeError."),
    code: z.string().optional().describe('A stable code (RUNBOOK_BLOCK_TIMEOUT, RUNBOOK_OUTPUT_MISMATCH, TS2322…); see docs/errors.md.'),
    location: z.string().optional().describe('Where it happened: path/to/doc.md:LINE:COL, or helper.ts:LINE:COL inside a local TypeScript import.'),
    file: z.string().optional().describe('The file that location, line and column are in, when it is not the doc (a local TypeScript import).'),
    line: line.optional().describe('1-based line of the location.'),
    column: line.optional().describe('1-based column of the location.'),
    frame: z.string().optional().describe('A code frame around the location.'),
    stack: z.string().optional().describe('The stack, its frames mapped to Markdown lines.'),
    diff: z.string().optional().describe('Expected against actual output, for an output mismatch.'),
  })
  .meta({ id: 'ErrorReport', description: 'An error located in the doc (or a file it imports).' });

const blockFields = {
  index: count.describe("0-based position among all of the doc's fences, output and prose fences included."),
  number: line.describe('1-based position among the code and shell blocks: "block 3" in every report.'),
  lang: z.string().describe("The fence's language, e.g. ts."),
  line: line.describe('1-based Markdown line of the opening fence.'),
  durationMs: milliseconds.describe('How long it ran, in milliseconds.'),
  stdout: z.string().describe('What the block printed to stdout, secrets masked.'),
  stderr: z.string().describe('What the block printed to stderr, secrets masked.'),
  value: z.string().optional().describe("The block's completion value, inspected; absent for silent blocks and undefined."),
};
const failedBlock = (status: 'failed' | 'timed-out') => z.strictObject({ ...blockFields, status: z.literal(status), error: errorReportSchema });
const notRunBlock = (status: 'skipped' | 'not-run', why: string) =>
  z.strictObject({ ...blockFields, status: z.literal(status), reason: z.string().describe(why) });

// A union on status, as BlockResult is: an error only on failed and timed-out blocks, a reason only on skipped and not-run ones.
const blockResultSchema = z
  .discriminatedUnion('status', [
    z.strictObject({ ...blockFields, status: z.literal('passed') }),
    failedBlock('failed'),
    failedBlock('timed-out'),
    notRunBlock('skipped', 'Why it was skipped: the fence, the eval mode or --only-sections left it out, or the doc was skipped.'),
    notRunBlock('not-run', 'Why it did not run: an earlier block failed, or the run was stopped.'),
  ])
  .meta({ id: 'BlockResult', description: 'One code or shell block of a doc.' });

const docResultSchema = z
  .strictObject({
    path: z.string().describe('The doc as it was given on the command line.'),
    title: z.string().describe("The doc's title: its first heading, else its path."),
    tags: z.array(z.string()).describe("The frontmatter's tags."),
    status: z.enum(['passed', 'failed', 'skipped', 'not-run']).describe('not-run: nothing failed but none of its blocks ran (--eval-mode none, --only-sections naming none of its headings).'),
    skipReason: z.string().optional().describe('Why a skipped doc did not run.'),
    durationMs: milliseconds.describe('How long the doc took, in milliseconds.'),
    blocks: z.array(blockResultSchema).describe('Its code and shell blocks, in doc order.'),
    error: errorReportSchema.optional().describe('A failure not tied to one block: invalid frontmatter, a fault after the last block…'),
    cleanedUp: z.array(z.string()).describe('What was still open when the doc ended and had to be cleaned up, e.g. "1 server".'),
    stamped: z.boolean().describe('Whether lastTested and lastTestPassed were written into the doc.'),
    warnings: z.array(z.string()).describe('Notes that did not fail the doc: a refused stamp, an output fence that could not be updated…'),
  })
  .meta({ id: 'DocResult', description: 'One doc of the run.' });

export const jsonReportSchema = z
  .strictObject({
    schemaVersion: z.literal(reportSchemaVersion).describe('The version of this shape; raised with every change to it.'),
    docs: z.array(docResultSchema).describe("Every doc, in the order they were run: sorted by path for 'runbook run' and 'runbook merge-reports'."),
    passed: count.describe('How many docs passed.'),
    failed: count.describe('How many docs failed.'),
    skipped: count.describe('How many docs were skipped.'),
    notRun: count.describe('How many docs ran none of their blocks.'),
    durationMs: milliseconds.describe('How long the run took; for a merged report, its longest shard.'),
  })
  .meta({
    title: 'runbook JSON report',
    description: "What 'runbook run --reporter json' (and check, and merge-reports) writes.",
  });

// Compile-time proof that the schema and the result types describe the same
// thing: the same values, and the same keys (an optional one left out of either
// would otherwise go unnoticed). An error here means results.ts (or ErrorReport)
// changed without this schema: change both, raise reportSchemaVersion, run the build.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
// Every key of every member of a union (keyof a union gives only the keys all members share).
type KeysOf<T> = T extends unknown ? keyof T : never;
type Describes<Schema extends z.ZodType, T> = Same<z.infer<Schema>, T> extends true ? Same<KeysOf<z.infer<Schema>>, KeysOf<T>> : false;
const schemaMatchesResults: [
  report: Describes<typeof jsonReportSchema, JsonReport>,
  doc: Describes<typeof docResultSchema, DocResult>,
  block: Describes<typeof blockResultSchema, BlockResult>,
  error: Describes<typeof errorReportSchema, ErrorReport>,
] = [true, true, true, true];
void schemaMatchesResults;

/** The report's JSON Schema (draft 2020-12), as shipped in schema/report.schema.json. */
export function reportJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(jsonReportSchema, { target: 'draft-2020-12' });
}
