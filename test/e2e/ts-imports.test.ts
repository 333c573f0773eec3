import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { beforeAll, describe, expect, it } from 'vitest';
import type { RunResult } from '../../src/runner/results.js';
import { cliPath, docResult, fence, makeDocs, runJson, type CliResult } from '../support/cli.js';

// A doc's local TypeScript imports, in every form, through the real CLI.

const helper = [
  'interface Options {',
  '  factor: number',
  '}',
  '',
  'type Unused = string',
  '',
  'export function twice(n: number, options: Options = { factor: 2 }): number {',
  '  return n * options.factor',
  '}',
  '',
  'export function boom(): never {',
  "  const label: string = 'boom'",
  '  throw new Error(`${label} in helper`)',
  '}',
  '',
].join('\n');

const files: Record<string, string> = {
  'helper.ts': helper,
  // Extensionless between TypeScript files, a folder's index, and `.js` naming the `.ts` file.
  'lib/index.ts': "import { twice } from '../helper'\nimport { shout } from './shout.js'\nexport const four: number = twice(2)\nexport { shout }\n",
  'lib/shout.ts': 'export const shout = (s: string): string => s.toUpperCase()\n',
  // `<T,>` parses only as TSX.
  'view.tsx': 'export const id = <T,>(value: T): T => value\n',
  'esm.mts': "export const m: string = 'mts'\n",
  'common.cts': "export const c: string = 'cts'\n",
  'broken.ts': 'const ok: number = 1\nconst x: number = = 1\nexport default x\n',
  'forms.md': [
    '# Forms\n',
    fence('ts', "import { twice } from './helper.ts'\nconsole.log(twice(3))"),
    fence('ts', "import { twice as again } from './helper'\nconsole.log(again(4))"),
    fence('ts', "import { four, shout } from './lib'\nconsole.log(four, shout('hi'))"),
    fence('ts', "import { id } from './view.tsx'\nimport { m } from './esm.mts'\nimport { c } from './common.cts'\nconsole.log(id('tsx'), m, c)"),
    fence('ts', "const { twice: dynamic } = await import('./helper')\nconsole.log(dynamic(5))"),
  ].join('\n'),
  'runtime.md': ['# Runtime\n', fence('ts', "import { boom } from './helper'\nconst before = 1\nboom()")].join('\n'),
  'syntax.md': ['# Syntax\n', fence('ts', "import broken from './broken.ts'\nconsole.log(broken)")].join('\n'),
};

let dir: string;
let run: CliResult & { report: RunResult };

beforeAll(async () => {
  dir = makeDocs(files);
  run = await runJson(dir, ['forms.md', 'runtime.md', 'syntax.md']);
});

describe('local TypeScript imports', () => {
  it('imports .ts, extensionless, folder index, .js naming .ts, .tsx, .mts, .cts and import()', () => {
    const doc = docResult(run.report, 'forms.md');
    expect(doc.blocks.map((block) => [block.status, block.stdout])).toEqual([
      ['passed', '6\n'],
      ['passed', '8\n'],
      ['passed', '4 HI\n'],
      ['passed', 'tsx mts cts\n'],
      ['passed', '10\n'],
    ]);
  });

  it('locates a runtime error inside helper.ts at its .ts line and column, not the transpiled ones', () => {
    const error = docResult(run.report, 'runtime.md').blocks[0]!.error!;
    expect(error.message).toBe('boom in helper');
    expect(error.location).toBe('helper.ts:13:9');
    expect(error.file).toBe('helper.ts');
    expect(error.frame).toBe(
      ["  11 | export function boom(): never {", "  12 |   const label: string = 'boom'", '> 13 |   throw new Error(`${label} in helper`)', '     |         ^', '  14 | }', '  15 |'].join('\n'),
    );
    expect(error.stack).toBe('at boom (helper.ts:13:9)\nat runtime.md:6:1');
  });

  it('locates a syntax error inside a .ts file where esbuild found it', () => {
    const error = docResult(run.report, 'syntax.md').blocks[0]!.error!;
    expect(error.name).toBe('SyntaxError');
    expect(error.code).toBe('RUNBOOK_TS_SYNTAX');
    expect(error.message).toBe('Unexpected "="');
    expect(error.location).toBe('broken.ts:2:19');
    expect(error.frame).toBe(['  1 | const ok: number = 1', '> 2 | const x: number = = 1', '    |                   ^', '  3 | export default x', '  4 |'].join('\n'));
  });

  it('fails the run', () => {
    expect(run.code).toBe(1);
    expect(run.report.docs.map((doc) => [doc.path, doc.status])).toEqual([
      ['forms.md', 'passed'],
      ['runtime.md', 'failed'],
      ['syntax.md', 'failed'],
    ]);
  });
});

describe('--watch and local TypeScript imports', () => {
  it('watches the .ts files a doc imports (extensionless, or named .js) transitively, and runs their new contents', async () => {
    const watchDir = makeDocs({
      'watched.md': fence('ts', "import { label } from './greeting'\nconsole.log(`value: ${label()}`)"),
      'greeting.ts': "import { value } from './lib/value.js'\nexport const label = (): string => `<${value}>`\n",
      'lib/value.ts': "export const value: string = 'first'\n",
    });
    const child = spawn(process.execPath, [cliPath, 'run', 'watched.md', '--watch', '--no-stamp', '--reporter', 'literate'], {
      cwd: watchDir,
      env: { ...process.env, NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    const waitForOutput = async (text: string): Promise<void> => {
      for (const started = Date.now(); !stdout.includes(text); await sleep(50)) {
        if (Date.now() - started > 15_000) throw new Error(`no ${JSON.stringify(text)} in the output within 15 s:\n${stdout}`);
      }
    };
    try {
      await waitForOutput('watching 3 files: watched.md, greeting.ts, lib/value.ts');
      expect(stdout).toContain('value: <first>');
      writeFileSync(join(watchDir, 'lib/value.ts'), "export const value: string = 'second'\n");
      await waitForOutput('value: <second>');
    } finally {
      child.kill('SIGKILL');
    }
  });
});
