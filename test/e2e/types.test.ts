import { spawnSync } from 'node:child_process';
import { mkdirSync, symlinkSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { makeDocs, repoRoot } from '../support/cli.js';

// What a TypeScript user of the programmatic API compiles against: dist/index.d.ts,
// reached as the package 'runbook'. The @ts-expect-error line fails the compile if
// the types were missing (everything `any`) as well as if they were wrong.
const consumer = `
import { createContainer, Feature, runRunbook, z, type DocResult, type ProcessManager, type RunResult } from 'runbook';

class Greeter extends Feature<{ name: string }> {
  static readonly featureName = 'greeter';
  static readonly optionsSchema = z.object({ name: z.string() });
  hello(): string {
    return 'hello ' + this.options.name;
  }
}

const container = createContainer();
container.register(Greeter);
const greeter: Greeter = container.feature<Greeter>('greeter', { name: 'doc' });
export const greeting: string = greeter.hello();

// Core features are typed by name; a project's own join them by declaration merging.
declare module 'runbook' {
  interface FeatureTypes {
    greeter: Greeter;
  }
}
export const byName: string = container.feature('greeter').hello();
export const manager: ProcessManager = container.feature('processManager');
export const ran = container.feature('processManager').runCommand({ command: 'echo hi' });
// @ts-expect-error the process manager has no method spwn
container.feature('processManager').spwn('echo');
export const run: Promise<DocResult> = runRunbook('doc.md', { stamp: false, timeout: 5000 });
export type Summary = RunResult['docs'];
// @ts-expect-error timeout is a number of milliseconds
runRunbook('doc.md', { timeout: 'soon' });
`;

// Events, tool results, errors and block results as a user narrows them. The
// Equal checks fail if a listener's parameters were any (untyped events), and
// reading block.error after narrowing fails if BlockResult were not a union.
const typedUse = `
import { createContainer, Feature, isRunbookError, isToolError, z, type BlockResult, type ProcessHandle, type WebsocketServer } from 'runbook';

type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
function expectType<T extends true>(): void {}
type Socket = WebsocketServer['connections'] extends Set<infer S> ? S : never;

const container = createContainer();
const pm = container.feature('processManager');
pm.on('spawned', (handle) => expectType<Equal<typeof handle, ProcessHandle>>());
pm.once('allStopped', () => {});
const handle = pm.spawn('echo', ['hi']);
handle.on('exit', (code, signal) => expectType<Equal<[typeof code, typeof signal], [number | null, NodeJS.Signals | null]>>());
handle.on('stdout', (chunk) => chunk.toUpperCase());
export const exited: Promise<[code: number | null, signal: NodeJS.Signals | null]> = handle.waitFor('exit');

const server = container.server('websocket');
server.on('listening', (port) => expectType<Equal<typeof port, number>>());
server.on('connection', (socket) => expectType<Equal<typeof socket, Socket>>());
server.on('message', (message, socket) => {
  if (message.requestId) message.reply({ to: socket.url });
});
container.client('websocket').on('close', (code, reason) => expectType<Equal<[typeof code, typeof reason], [number, string]>>());
container.feature('windowManager').on('terminalExited', (event) => expectType<Equal<typeof event.exitCode, number | null | undefined>>());
container.feature('conversation').on('chunk', (text) => expectType<Equal<typeof text, string>>());
container.feature('assistant').on('started', () => {}).on('disposed', () => {});

// A feature with an event map has typed events, the lifecycle ones included;
// one without keeps untyped events, as before.
interface CounterEvents {
  tick: [count: number];
}
class Counter extends Feature<Record<string, unknown>, Record<string, unknown>, CounterEvents> {
  static readonly featureName = 'counter';
  #count = 0;
  tick(): void {
    this.emit('tick', ++this.#count);
  }
}
class Loose extends Feature {
  static readonly featureName = 'loose';
  shout(): void {
    this.emit('anything', 1, 'two');
  }
}
container.register(Counter).register(Loose);
container.feature<Counter>('counter').on('tick', (count) => expectType<Equal<typeof count, number>>()).on('enabled', () => {});
container.feature<Loose>('loose').on('anything', (one: number, two: string) => one + two);

// Tool methods take their schema's input, and answer a result or a ToolError.
const ranCommand = await pm.runCommand({ command: 'echo hi', timeoutMs: 1000 });
export const exitCode: number | null = isToolError(ranCommand) ? null : ranCommand.exitCode;

try {
  await container.server('websocket').start({ port: 1 });
} catch (error) {
  if (isRunbookError(error) && error.code === 'RUNBOOK_PORT_IN_USE') console.log(error.message);
}

// A block's result has the fields of its status; any block's may be read with ?.
export function describeBlock(block: BlockResult): string {
  const where: string | undefined = block.error?.location;
  if (block.status === 'failed' || block.status === 'timed-out') return \`\${where}: \${block.error.message}\`;
  if (block.status === 'skipped' || block.status === 'not-run') return block.reason;
  expectType<Equal<typeof block.status, 'passed'>>();
  return block.value ?? '';
}
`;

// Wrong code, one mistake a file: each must fail with its diagnostic, at its line.
const mistakes: Record<string, { code: string; line: number; source: string; message: string }> = {
  'wrong-event-name': {
    source: "createContainer().feature('processManager').on('spawnd', () => {});",
    line: 2,
    code: 'TS2345',
    message: `Argument of type '"spawnd"' is not assignable to parameter of type`,
  },
  'wrong-listener-argument': {
    source: "createContainer().server('websocket').on('listening', (port: string) => port.trim());",
    line: 2,
    code: 'TS2345',
    message: "Type 'number' is not assignable to type 'string'.",
  },
  'wrong-emit-argument': {
    source: [
      "class Counter extends Feature<Record<string, unknown>, Record<string, unknown>, { tick: [count: number] }> {",
      "  tick(): void {",
      "    this.emit('tick', 'one');",
      '  }',
      '}',
    ].join('\n'),
    line: 4,
    code: 'TS2345',
    message: `Argument of type 'string' is not assignable to parameter of type 'number'.`,
  },
  'error-without-narrowing': {
    source: 'export const message = (block: BlockResult): string => block.error.message;',
    line: 2,
    code: 'TS18048',
    message: "'block.error' is possibly 'undefined'.",
  },
  'tool-input-of-the-wrong-shape': {
    source: "createContainer().feature('processManager').runCommand('echo hi');",
    line: 2,
    code: 'TS2345',
    message: `Argument of type 'string' is not assignable to parameter of type '{ command: string;`,
  },
  'tool-result-without-narrowing': {
    source: "export const code = (await createContainer().feature('processManager').runCommand({ command: 'true' })).exitCode;",
    line: 2,
    code: 'TS2339',
    message: `Property 'exitCode' does not exist on type`,
  },
  'unknown-error-code': {
    source: "export const timedOut = (error: unknown) => isRunbookError(error) && error.code === 'RUNBOOK_TIMEOUT';",
    line: 2,
    code: 'TS2367',
    message: "This comparison appears to be unintentional because the types",
  },
};
const mistakeImports = "import { createContainer, Feature, isRunbookError, type BlockResult } from 'runbook';";

interface Diagnostic {
  line: number;
  code: string;
  message: string;
}

// tsc's plain output: `file(line,col): error TSxxxx: message`, continuation lines indented.
function diagnosticsByFile(output: string): Map<string, Diagnostic[]> {
  const byFile = new Map<string, Diagnostic[]>();
  let last: Diagnostic | undefined;
  for (const text of output.split('\n')) {
    const match = /^(.+?)\((\d+),\d+\): error (TS\d+): (.*)$/.exec(text);
    if (match) {
      last = { line: Number(match[2]), code: match[3]!, message: match[4]! };
      byFile.set(match[1]!, [...(byFile.get(match[1]!) ?? []), last]);
    } else if (last && text.startsWith(' ')) {
      last.message += `\n${text.trim()}`;
    }
  }
  return byFile;
}

describe('published types', () => {
  let diagnostics: Map<string, Diagnostic[]>;
  let output: string;

  // One compile for every file (tsc takes seconds): each test reads its file's diagnostics.
  beforeAll(() => {
    const files: Record<string, string> = { 'consumer.ts': consumer, 'typed-use.ts': typedUse };
    for (const [name, { source }] of Object.entries(mistakes)) files[`${name}.ts`] = `${mistakeImports}\n${source}\nexport {};\n`;
    const dir = makeDocs({
      ...files,
      'tsconfig.json': JSON.stringify({
        compilerOptions: { module: 'NodeNext', moduleResolution: 'NodeNext', target: 'ES2022', strict: true, noEmit: true, skipLibCheck: true, types: ['node'], typeRoots: [join(repoRoot, 'node_modules', '@types')] },
        files: Object.keys(files),
      }),
      'package.json': '{ "type": "module" }',
    });
    // Installed as a dependency would be: node_modules/runbook is this repository.
    mkdirSync(join(dir, 'node_modules'));
    symlinkSync(repoRoot, join(dir, 'node_modules', 'runbook'), 'dir');
    const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
    const result = spawnSync(process.execPath, [tsc, '-p', dir, '--pretty', 'false'], { cwd: dir, encoding: 'utf8' });
    output = result.stdout + result.stderr;
    diagnostics = diagnosticsByFile(output);
  }, 90_000);

  it('a TypeScript program using the public API compiles against dist/index.d.ts', () => {
    expect(diagnostics.get('consumer.ts') ?? []).toEqual([]);
  });

  it('types events by name, tool inputs and results, runbook errors and block results by status', () => {
    expect(diagnostics.get('typed-use.ts') ?? []).toEqual([]);
    // Every diagnostic belongs to a file that was meant to have one.
    expect([...diagnostics.keys()].sort()).toEqual(Object.keys(mistakes).map((name) => `${name}.ts`).sort());
  });

  it.each(Object.entries(mistakes))('%s fails to compile with its diagnostic', (name, expected) => {
    const found = diagnostics.get(`${name}.ts`) ?? [];
    expect(found, output).toHaveLength(1);
    expect(found[0]).toMatchObject({ line: expected.line, code: expected.code });
    expect(found[0]!.message).toContain(expected.message);
  });
});
