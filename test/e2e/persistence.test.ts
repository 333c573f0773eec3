import { beforeAll, describe, expect, it } from 'vitest';
import type { RunResult } from '../../src/runner/results.js';
import { docResult, fence, makeDocs, runJson } from '../support/cli.js';

// One declaration kind: how to declare it with a value, and an expression that reads it back.
interface Kind {
  declare(value: number): string;
  read: string;
  expect(value: number): unknown;
}

const kinds: Record<string, Kind> = {
  const: { declare: (v) => `const a: number = ${v}`, read: 'a', expect: (v) => v },
  let: { declare: (v) => `let a: number = ${v}`, read: 'a', expect: (v) => v },
  var: { declare: (v) => `var a = ${v}`, read: 'a', expect: (v) => v },
  function: { declare: (v) => `function a(): number { return ${v} }`, read: 'a()', expect: (v) => v },
  'async function': { declare: (v) => `async function a() { return ${v} }`, read: 'await a()', expect: (v) => v },
  class: { declare: (v) => `class A { v = ${v}; static s = ${v} }`, read: '[new A().v, A.s]', expect: (v) => [v, v] },
  'object destructuring': {
    declare: (v) => `const { p, q: [r, ...rs] = [${v}, ${v + 1}], t = ${v}, ...others } = { p: ${v}, extra: ${v} } as Record<string, any>`,
    read: '[p, r, rs, t, others]',
    expect: (v) => [v, v, [v + 1], v, { extra: v }],
  },
  'array destructuring': {
    declare: (v) => `const [x, , y = ${v}, ...zs] = [${v}, 0, undefined, ${v + 1}, ${v + 2}]`,
    read: '[x, y, zs]',
    expect: (v) => [v, v, [v + 1, v + 2]],
  },
  import: {
    declare: (v) => `import def, { named as alias } from './mod${v}.mjs'\nimport * as ns from './mod${v}.mjs'`,
    read: '[def, alias, ns.named]',
    expect: (v) => [v, v * 10, v * 10],
  },
};

const awaitLine = 'await Promise.resolve()';

// Blocks: declare (sync or async) → read sync → read async → re-declare sync → read →
// re-declare async → read sync → read async. Returns the doc and the stdout each block must print.
function persistenceDoc(kind: Kind, declaredAsync: boolean): { text: string; stdout: string[] } {
  const log = (read: string) => `console.log(JSON.stringify(${read}))`;
  const steps: [code: string, printed: unknown][] = [
    [`${kind.declare(1)}${declaredAsync ? `\n${awaitLine}` : ''}`, undefined],
    [log(kind.read), kind.expect(1)],
    [`${awaitLine}\n${log(kind.read)}`, kind.expect(1)],
    [`${kind.declare(2)}\n${log(kind.read)}`, kind.expect(2)],
    [log(kind.read), kind.expect(2)],
    [`${awaitLine}\n${kind.declare(3)}\n${log(kind.read)}`, kind.expect(3)],
    [log(kind.read), kind.expect(3)],
    [`${awaitLine}\n${log(kind.read)}`, kind.expect(3)],
  ];
  const text = `# Persistence\n\n${steps.map(([code]) => fence('ts', code)).join('\n')}`;
  return { text, stdout: steps.map(([, printed]) => (printed === undefined ? '' : `${JSON.stringify(printed)}\n`)) };
}

const modules = Object.fromEntries([1, 2, 3].map((v) => [`mod${v}.mjs`, `export default ${v};\nexport const named = ${v * 10};\n`]));

const cells = Object.entries(kinds).flatMap(([name, kind]) =>
  [false, true].map((declaredAsync) => ({ name, declaredAsync, mode: declaredAsync ? 'an async' : 'a sync', file: `${name.replace(/ /g, '-')}-${declaredAsync ? 'async' : 'sync'}.md`, ...persistenceDoc(kind, declaredAsync) })),
);

// Names that are globals of the doc context, declared again by the doc.
const globalsDoc = [
  '# Globals re-declared',
  fence('ts', "const ui = 'mine'\nconsole.log(ui)"),
  fence('ts', `${awaitLine}\nconsole.log(ui)\nlet fs = { mine: true }\nconsole.log(JSON.stringify(fs))`),
  fence('ts', 'console.log(JSON.stringify(fs))\nfunction z() { return "z is mine" }\nconsole.log(z())'),
  fence('ts', `${awaitLine}\nclass proc { static who = 'class proc' }\nconsole.log(z(), proc.who)`),
  fence('ts', "var networking = 'n'\nconst { container: c = 1 } = {} as { container?: number }\nconsole.log(networking, ui, proc.who, c)"),
].join('\n');
const globalsStdout = ['mine\n', 'mine\n{"mine":true}\n', '{"mine":true}\nz is mine\n', 'z is mine class proc\n', 'n mine class proc 1\n'];

// One name changing kind from block to block, in sync and async blocks.
const switchingDoc = [
  '# One name, every kind',
  fence('ts', 'const x = 1\nconsole.log(x)'),
  fence('ts', `${awaitLine}\nfunction x() { return 2 }\nconsole.log(x())`),
  fence('ts', 'class x { static v = 3 }\nconsole.log(x.v)'),
  fence('ts', `${awaitLine}\nlet x = 4\nconsole.log(x)`),
  fence('ts', 'const { x } = { x: 5 }\nconsole.log(x)'),
  fence('ts', "import x from './mod1.mjs'\nconsole.log(x)"),
  fence('ts', 'function x() { return 7 }\nconsole.log(x())'),
  fence('ts', `${awaitLine}\nconst [x] = [8]\nconsole.log(x)`),
  fence('ts', 'console.log(x)'),
].join('\n');
const switchingStdout = ['1\n', '2\n', '3\n', '4\n', '5\n', '1\n', '7\n', '8\n', '8\n'];

// Imports of builtins and of runbook's own dependencies, from a doc outside the project.
const importsDoc = [
  '# Imports',
  fence('ts', "import { join } from 'node:path'\nimport * as os from 'os'\nimport { createTwoFilesPatch } from 'diff'\nimport pc from 'picocolors'"),
  fence('ts', "console.log(join('a', 'b'), typeof os.tmpdir, typeof createTwoFilesPatch, typeof pc.red)"),
  fence('ts', `${awaitLine}\nconst { basename } = await import('node:path')\nconsole.log(basename('/x/y.md'), join('c', 'd'))`),
  fence('ts', "import type { Stats } from 'node:fs'\nconst s: Stats | undefined = undefined\nconsole.log(basename('/q/r'), s)"),
].join('\n');
const importsStdout = ['', 'a/b function function function\n', 'y.md c/d\n', 'r undefined\n'];

// Closures: functions from earlier blocks see the current value of the names they use.
const closuresDoc = [
  '# Closures',
  fence('ts', `let count = 0\nconst bump = () => ++count\n${awaitLine}\nfunction read() { return count }`),
  fence('ts', 'bump(); bump()\nconsole.log(read())'),
  fence('ts', `${awaitLine}\nlet count = 10\nbump()\nconsole.log(read(), count)`),
  fence('ts', 'enum Color { Red, Green }\nnamespace NS { export const k = 1 }'),
  fence('ts', `${awaitLine}\nconsole.log(Color.Green, Color[0], NS.k)`),
].join('\n');
const closuresStdout = ['', '2\n', '11 11\n', '', '1 Red 1\n'];

const extraDocs: [file: string, text: string, stdout: string[]][] = [
  ['globals.md', globalsDoc, globalsStdout],
  ['switching.md', switchingDoc, switchingStdout],
  ['imports.md', importsDoc, importsStdout],
  ['closures.md', closuresDoc, closuresStdout],
];

describe('persistence across blocks (real CLI)', () => {
  let report: RunResult;
  let stderr = '';
  let code: number | null = null;

  beforeAll(async () => {
    const files: Record<string, string> = { ...modules };
    for (const cell of cells) files[cell.file] = cell.text;
    for (const [file, text] of extraDocs) files[file] = text;
    const dir = makeDocs(files);
    const run = await runJson(dir, [...cells.map((c) => c.file), ...extraDocs.map(([file]) => file)], ['--no-stamp']);
    report = run.report;
    stderr = run.stderr;
    code = run.code;
  }, 60_000);

  it('exits 0 with every doc passed', () => {
    const failures = report.docs.filter((d) => d.status !== 'passed').map((d) => `${d.path}: ${JSON.stringify(d.blocks.find((b) => b.error)?.error ?? d.error)}`);
    expect(failures).toEqual([]);
    expect(stderr).toBe('');
    expect(code).toBe(0);
  });

  it.each(cells)('$name declared in $mode block', ({ file, stdout }) => {
    const doc = docResult(report, file);
    expect(doc.blocks.map((b) => b.status)).toEqual(stdout.map(() => 'passed'));
    expect(doc.blocks.map((b) => b.stdout)).toEqual(stdout);
  });

  it.each(extraDocs)('%s', (file, _text, stdout) => {
    const doc = docResult(report, file);
    expect(doc.blocks.map((b) => b.stdout)).toEqual(stdout);
    expect(doc.status).toBe('passed');
  });
});
