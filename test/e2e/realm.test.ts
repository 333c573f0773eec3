import { describe, expect, it } from 'vitest';
import { docResult, fence, makeDocs, runJson } from '../support/cli.js';

// Code in a doc must behave as the same code does in `node file.mjs`: values
// made by builtins and packages belong to the doc's own realm. Each row is one
// block; it prints what plain Node prints for it (checked by hand with node).
const table: { what: string; code: string; stdout: string }[] = [
  {
    what: 'node:path values are deep-equal to literals',
    code: "import assert from 'node:assert'\nimport path from 'node:path'\nassert.deepStrictEqual(path.parse('/a/b.txt'), { root: '/', dir: '/a', base: 'b.txt', ext: '.txt', name: 'b' })\nconsole.log('path ok')",
    stdout: 'path ok\n',
  },
  {
    what: 'structuredClone results are deep-equal and real Arrays',
    code: "import assert from 'node:assert'\nassert.deepStrictEqual(structuredClone({ a: 1 }), { a: 1 })\nconsole.log(structuredClone([]) instanceof Array, Array.isArray(structuredClone([1])))",
    stdout: 'true true\n',
  },
  {
    what: 'node:fs errors are Errors',
    code: "import { readFileSync } from 'node:fs'\ntry { readFileSync('/no/such/file') } catch (error) { console.log(error instanceof Error, (error as NodeJS.ErrnoException).code) }",
    stdout: 'true ENOENT\n',
  },
  {
    what: "a package's instanceof Date and RangeError",
    code: "import { stamp, check } from 'realm-probe'\nconsole.log(stamp(new Date(7)))\ntry { check(-1) } catch (error) { console.log(error instanceof RangeError) }",
    stdout: '1970-01-01T00:00:00.007Z\ntrue\n',
  },
  {
    what: "a side-effect import's globalThis write",
    code: "import './setup.mjs'\nconsole.log((globalThis as Record<string, unknown>).fromSetup, typeof fromSetupFn)",
    stdout: 'set up function\n',
  },
  {
    what: 'setTimeout is the one node:timers exports, and promisifies',
    code: "import timers from 'node:timers'\nimport { promisify } from 'node:util'\nconsole.log(setTimeout === timers.setTimeout, await promisify(setTimeout)(1, 'slept'))",
    stdout: 'true slept\n',
  },
  {
    what: 'errors thrown by the doc are Errors of the realm',
    code: "try { JSON.parse('{') } catch (error) { console.log(error instanceof SyntaxError, Object.getPrototypeOf(error) === SyntaxError.prototype) }",
    stdout: 'true true\n',
  },
];

const doc = `# Realm\n\n${table.map((row) => `## ${row.what}\n\n${fence('ts', row.code)}`).join('\n')}`;

describe('docs run in Node’s own realm', () => {
  it.each(['--jobs=1', '--jobs=2'])('every row prints what plain Node prints (%s)', async (jobs) => {
    const dir = makeDocs({
      'realm.md': doc,
      'setup.mjs': "globalThis.fromSetup = 'set up'\nglobalThis.fromSetupFn = () => 1\n",
      'node_modules/realm-probe/package.json': JSON.stringify({ name: 'realm-probe', version: '1.0.0', type: 'module', exports: './index.js' }),
      'node_modules/realm-probe/index.js':
        "export function stamp(date) { if (!(date instanceof Date)) throw new TypeError('not a Date'); return date.toISOString() }\n" +
        "export function check(n) { if (n < 0) throw new RangeError('negative') }\n",
    });
    const { code, report } = await runJson(dir, ['realm.md'], ['--no-stamp', jobs]);
    const blocks = docResult(report, 'realm.md').blocks;
    expect(blocks.map((block) => [block.status, block.stdout, block.error?.message])).toEqual(table.map((row) => ['passed', row.stdout, undefined]));
    expect(code).toBe(0);
  });
});
