import { beforeAll, describe, expect, it } from 'vitest';
import type { RunResult } from '../../src/runner/results.js';
import { docResult, makeDocs, runCli, runJson, type CliResult } from '../support/cli.js';

interface ErrorCase {
  name: string;
  file: string;
  text: string;
  /** Index (among run blocks) of the block that fails. */
  failing: number;
  location: string;
  message: string;
  errorName?: string;
  frame: string[];
}

const cases: ErrorCase[] = [
  {
    name: 'sync runtime error',
    file: 'sync.md',
    text: '# Sync\n\n```ts\nconst a = 1\nconst b: { c?: { d(): void } } = {}\nb.c!.d()\n```\n',
    failing: 0,
    location: 'sync.md:6:6',
    errorName: 'TypeError',
    message: "Cannot read properties of undefined (reading 'd')",
    frame: ['  4 | const a = 1', '  5 | const b: { c?: { d(): void } } = {}', '> 6 | b.c!.d()', '    |      ^', '  7 | ```', '  8 |'],
  },
  {
    name: 'async runtime error',
    file: 'async.md',
    text: '# Async\n\nSome prose.\n\n```ts\nconst x: number = await Promise.resolve(1)\n  null!.boom(x)\n```\n',
    failing: 0,
    location: 'async.md:7:9',
    errorName: 'TypeError',
    message: "Cannot read properties of null (reading 'boom')",
    frame: ['  5 | ```ts', '  6 | const x: number = await Promise.resolve(1)', '> 7 |   null!.boom(x)', '    |         ^', '  8 | ```', '  9 |'],
  },
  {
    name: 'function from an earlier block, called later: points at the earlier block',
    file: 'earlier.md',
    text: '# Earlier\n\n```ts\nfunction explode(what: string): never {\n  throw new Error(`exploded: ${what}`)\n}\n```\n\n```ts\nconst y = 1\nexplode(\'later\')\n```\n',
    failing: 1,
    location: 'earlier.md:5:9',
    message: 'exploded: later',
    frame: ['  3 | ```ts', '  4 | function explode(what: string): never {', '> 5 |   throw new Error(`exploded: ${what}`)', '    |         ^', '  6 | }', '  7 | ```'],
  },
  {
    name: 'function from an earlier async block, called from a later async block',
    file: 'earlier-async.md',
    text: '```ts\nawait 0\nconst helper = (o: any) =>\n  o.missing.field\n```\n\n```ts\nawait 0\nhelper({})\n```\n',
    failing: 1,
    location: 'earlier-async.md:4:13',
    errorName: 'TypeError',
    message: "Cannot read properties of undefined (reading 'field')",
    frame: ['  2 | await 0', '  3 | const helper = (o: any) =>', '> 4 |   o.missing.field', '    |             ^', '  5 | ```', '  6 |'],
  },
  {
    name: 'thrown string',
    file: 'string.md',
    text: '# Non-errors\n\n```ts\nconst n = 1\n    throw \'just a string\'\n```\n',
    failing: 0,
    location: 'string.md:5:5',
    message: "threw a non-Error value: 'just a string'",
    frame: ['  3 | ```ts', '  4 | const n = 1', "> 5 |     throw 'just a string'", '    |     ^', '  6 | ```', '  7 |'],
  },
  {
    name: 'thrown object literal from an earlier block’s function, called from an async block',
    file: 'object.md',
    text: "# Non-errors\n\n```ts\nfunction fail() {\n  throw { code: 42, why: 'object literal' }\n}\n```\n\n```ts\nawait 0\nfail()\n```\n",
    failing: 1,
    location: 'object.md:5:3',
    message: "threw a non-Error value: { code: 42, why: 'object literal' }",
    frame: ['  3 | ```ts', '  4 | function fail() {', "> 5 |   throw { code: 42, why: 'object literal' }", '    |   ^', '  6 | }', '  7 | ```'],
  },
  {
    name: 'TypeScript syntax error',
    file: 'syntax.md',
    text: '# Syntax\n\n```ts\nconst ok = 1\nconst bad: = 2\n```\n',
    failing: 0,
    location: 'syntax.md:5:12',
    message: 'Unexpected "="',
    frame: ['  3 | ```ts', '  4 | const ok = 1', '> 5 | const bad: = 2', '    |            ^', '  6 | ```', '  7 |'],
  },
  {
    name: 'JavaScript syntax error (acorn)',
    file: 'js-syntax.md',
    text: '# JS\n\n```js\nconst a = 1\nconst b = {\n  c: 1,,\n}\n```\n',
    failing: 0,
    location: 'js-syntax.md:6:8',
    message: 'Unexpected token',
    frame: ['  4 | const a = 1', '  5 | const b = {', '> 6 |   c: 1,,', '    |        ^', '  7 | }', '  8 | ```'],
  },
  {
    name: 'block inside a list item: the column includes the indentation',
    file: 'list.md',
    text: '# List\n\n1. First step:\n\n   ```ts\n   const list = [1]\n   list.nope.call()\n   ```\n',
    failing: 0,
    location: 'list.md:7:14',
    errorName: 'TypeError',
    message: "Cannot read properties of undefined (reading 'call')",
    frame: ['  5 |    ```ts', '  6 |    const list = [1]', '> 7 |    list.nope.call()', '    |              ^', '  8 |    ```', '  9 |'],
  },
  {
    name: 'CRLF doc',
    file: 'crlf.md',
    text: '---\r\ntitle: CRLF\r\n---\r\n# CRLF\r\n\r\n```ts\r\nconst a: any = 1\r\n  a.b.c()\r\n```\r\n',
    failing: 0,
    location: 'crlf.md:8:7',
    errorName: 'TypeError',
    message: "Cannot read properties of undefined (reading 'c')",
    frame: ['   6 | ```ts', '   7 | const a: any = 1', '>  8 |   a.b.c()', '     |       ^', '   9 | ```', '  10 |'],
  },
  {
    name: 'assigning a const from an earlier block, in an async block',
    file: 'const.md',
    text: '# Const\n\n```ts\nconst limit: number = 3\n```\n\n```ts\nawait 0\n  limit = 4\n```\n',
    failing: 1,
    location: 'const.md:9:3',
    errorName: 'TypeError',
    message: 'Assignment to constant variable.',
    frame: ['   7 | ```ts', '   8 | await 0', '>  9 |   limit = 4', '     |   ^', '  10 | ```', '  11 |'],
  },
  {
    name: 'reading a let before its declaration',
    file: 'tdz.md',
    text: '```js\nconst total = count + 1\nlet count = 2\n```\n',
    failing: 0,
    location: 'tdz.md:2:15',
    errorName: 'ReferenceError',
    message: "Cannot access 'count' before initialization",
    frame: ['  1 | ```js', '> 2 | const total = count + 1', '    |               ^', '  3 | let count = 2', '  4 | ```'],
  },
  {
    name: 'TS types removed earlier on the same line do not shift the column',
    file: 'ts-columns.md',
    text: '```ts\ninterface Big { a: number }\nconst v: Big | undefined = undefined as Big | undefined; const w = (v as Big).a\n```\n',
    failing: 0,
    location: 'ts-columns.md:3:79',
    errorName: 'TypeError',
    message: "Cannot read properties of undefined (reading 'a')",
    frame: [
      '  1 | ```ts',
      '  2 | interface Big { a: number }',
      '> 3 | const v: Big | undefined = undefined as Big | undefined; const w = (v as Big).a',
      '    |                                                                               ^',
      '  4 | ```',
      '  5 |',
    ],
  },
];

describe('error locations (real CLI)', () => {
  let run: CliResult & { report: RunResult };
  let pretty: CliResult;

  beforeAll(async () => {
    const dir = makeDocs(Object.fromEntries(cases.map((c) => [c.file, c.text])));
    const files = cases.map((c) => c.file);
    [run, pretty] = await Promise.all([runJson(dir, files, ['--no-stamp']), runCli(['run', ...files, '--no-stamp', '--reporter', 'pretty'], { cwd: dir })]);
  }, 60_000);

  it('exits 1', () => {
    expect(run.code).toBe(1);
    expect(run.report.failed).toBe(cases.length);
  });

  it.each(cases)('$name', (c) => {
    const doc = docResult(run.report, c.file);
    expect(doc.status).toBe('failed');
    const ran = doc.blocks.filter((b) => b.status !== 'skipped');
    expect(ran.map((b) => b.status)).toEqual(ran.map((_, i) => (i < c.failing ? 'passed' : i === c.failing ? 'failed' : 'not-run')));
    const error = ran[c.failing]!.error!;
    expect({ location: error.location, message: error.message, name: error.name, frame: error.frame?.split('\n') }).toEqual({
      location: c.location,
      message: c.message,
      name: c.errorName,
      frame: c.frame,
    });
  });

  it.each(cases)('pretty output shows $location, the message and the code frame', (c) => {
    const header = `${c.location} ${c.errorName ? `${c.errorName}: ` : ''}${c.message}`;
    const at = pretty.stdout.indexOf(header);
    expect(at).toBeGreaterThan(-1);
    const after = pretty.stdout.slice(at).split('\n').slice(2, 2 + c.frame.length).map((line) => line.replace(/^ {4}/, ''));
    expect(after).toEqual(c.frame);
  });

  it('mapped stacks name the Markdown file and hide runner internals', () => {
    const earlier = docResult(run.report, 'earlier.md').blocks[1]!.error!;
    expect(earlier.stack).toBe('at explode (earlier.md:5:9)\nat earlier.md:11:1');
    const sync = docResult(run.report, 'sync.md').blocks[0]!.error!;
    expect(sync.stack).toBe('at sync.md:6:6');
  });
});
