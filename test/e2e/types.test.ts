import { spawnSync } from 'node:child_process';
import { mkdirSync, symlinkSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
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

describe('published types', () => {
  it('a TypeScript program using the public API compiles against dist/index.d.ts', () => {
    const dir = makeDocs({
      'consumer.ts': consumer,
      'tsconfig.json': JSON.stringify({
        compilerOptions: { module: 'NodeNext', moduleResolution: 'NodeNext', target: 'ES2022', strict: true, noEmit: true, skipLibCheck: true, types: ['node'], typeRoots: [join(repoRoot, 'node_modules', '@types')] },
        files: ['consumer.ts'],
      }),
      'package.json': '{ "type": "module" }',
    });
    // Installed as a dependency would be: node_modules/runbook is this repository.
    mkdirSync(join(dir, 'node_modules'));
    symlinkSync(repoRoot, join(dir, 'node_modules', 'runbook'), 'dir');
    const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
    const result = spawnSync(process.execPath, [tsc, '-p', dir], { encoding: 'utf8' });
    expect(result.stdout + result.stderr).toBe('');
    expect(result.status).toBe(0);
  }, 60_000);
});
