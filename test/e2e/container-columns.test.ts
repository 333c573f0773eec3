import { beforeAll, describe, expect, it } from 'vitest';
import type { RunResult } from '../../src/runner/results.js';
import { docResult, makeCacheDir, makeDocs, runJson, type CliResult } from '../support/cli.js';

// A fence inside a container: each content line loses its own container prefix
// (a tab, `>` with or without a space, less indentation than the fence), so an
// error's column is counted from that line's own start in the file.

interface ColumnCase {
  name: string;
  file: string;
  text: string;
  location: string;
  message: string;
  /** The frame's marked line and caret line. */
  marked: [string, string];
}

const readCall = "Cannot read properties of undefined (reading 'call')";

const cases: ColumnCase[] = [
  {
    name: 'a list item indented with a tab',
    file: 'tab-list.md',
    text: '# Tab\n\n-\t```ts\n\tconst o: any = {}\n\to.missing.call()\n\t```\n',
    location: 'tab-list.md:5:12',
    message: readCall,
    marked: ['> 5 | \to.missing.call()', '    | \t          ^'],
  },
  {
    name: 'a block quote whose content lines have no space after >',
    file: 'quote.md',
    text: '# Quote\n\n> ```ts\n>const o: any = {}\n>o.missing.call()\n> ```\n',
    location: 'quote.md:5:12',
    message: readCall,
    marked: ['> 5 | >o.missing.call()', '    |            ^'],
  },
  {
    name: 'content indented less than the fence',
    file: 'less.md',
    text: '# Less\n\n  ```ts\nconst o: any = {}\n o.missing.call()\n  ```\n',
    location: 'less.md:5:12',
    message: readCall,
    marked: ['> 5 |  o.missing.call()', '    |            ^'],
  },
  {
    name: 'a list in a block quote, the failing line indented by a tab after >',
    file: 'nested.md',
    text: '# Nested\n\n> - step\n>\n>   ```ts\n>   const o: any = {}\n>\to.missing.call()\n>   ```\n',
    location: 'nested.md:7:13',
    message: readCall,
    marked: ['> 7 | >\to.missing.call()', '    |  \t          ^'],
  },
  {
    name: 'a syntax error in a tab-indented list item',
    file: 'tab-syntax.md',
    text: '# Syntax\n\n1.\t```ts\n\tconst ok = 1\n\tconst bad: = 2\n\t```\n',
    location: 'tab-syntax.md:5:13',
    message: 'Unexpected "="',
    marked: ['> 5 | \tconst bad: = 2', '    | \t           ^'],
  },
];

describe('error columns inside containers (real CLI)', () => {
  let dir = '';
  let fresh: CliResult & { report: RunResult };
  let cached: CliResult & { report: RunResult };

  beforeAll(async () => {
    dir = makeDocs(Object.fromEntries(cases.map((c) => [c.file, c.text])));
    const env = { RUNBOOK_CACHE_DIR: makeCacheDir() };
    const files = cases.map((c) => c.file);
    fresh = await runJson(dir, files, ['--no-stamp'], { env });
    // The second run takes the docs that compiled from the doc cache.
    cached = await runJson(dir, files, ['--no-stamp'], { env });
  }, 60_000);

  it.each(cases)('$name: $location', (c) => {
    for (const run of [fresh, cached]) {
      const error = docResult(run.report, c.file).blocks[0]!.error!;
      const frame = error.frame!.split('\n');
      const marked = frame.findIndex((line) => line.startsWith('>'));
      expect({ location: error.location, message: error.message, marked: frame.slice(marked, marked + 2) }).toEqual({ location: c.location, message: c.message, marked: c.marked });
    }
  });
});
