import { formatSize } from '../runner/format-size.js';
import { usageError } from './usage-error.js';

/** How a doc read from stdin is named in every report: `<stdin>:12:3`. */
export const stdinDocName = '<stdin>';

// What cannot work on a doc that is no file, and why.
const refusedFlags: Record<string, string> = {
  update: 'it rewrites output fences in the doc file',
  watch: 'it runs the doc again when its file changes',
  console: 'its REPL reads what you type from stdin, which holds the doc',
  step: 'its prompt reads your answers from stdin, which holds the doc',
  typecheck: 'it checks doc files',
  tag: "it selects docs by the tags in their files' frontmatter",
};

/** Usage errors for `runbook run -` with other docs, or with flags that need the doc to be a file. */
export function checkStdinRun(positionals: string[], flags: Record<string, unknown>): void {
  const others = positionals.filter((positional) => positional !== '-');
  if (others.length || positionals.length > 1) {
    const named = others.length ? `, but ${others.map((other) => JSON.stringify(other)).join(', ')} ${others.length === 1 ? 'was' : 'were'} given too` : ', but it was given twice';
    throw usageError(`'-' reads one doc from stdin${named}. Run the files and the doc from stdin in separate runs.`);
  }
  for (const [flag, why] of Object.entries(refusedFlags)) {
    const value = flags[flag];
    if (value === true || (Array.isArray(value) && value.length)) throw usageError(`--${flag} does not work on a doc read from stdin ('-'): ${why}. Save the doc to a file to use --${flag}.`);
  }
}

/** The whole of `input` as one doc's Markdown; empty, or more than `limit` bytes, is a usage error. */
export async function readStdinDoc(input: NodeJS.ReadableStream & { isTTY?: boolean }, limit: number): Promise<string> {
  if (input.isTTY) process.stderr.write('runbook: reading a doc from stdin; end it with Ctrl-D.\n');
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of input) {
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    size += bytes.length;
    if (size > limit) {
      throw usageError(`The doc on stdin is larger than the ${formatSize(limit)} limit, so runbook does not read it. Raise the limit with --max-doc-size (or maxDocSize in runbook.config.ts), e.g. --max-doc-size 50MB.`);
    }
    chunks.push(bytes);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (text.trim() === '') throw usageError("'-' reads a doc from stdin, but stdin was empty. Pipe a doc in: cat doc.md | runbook run -");
  return text;
}
