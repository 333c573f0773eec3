import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, realpathSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { fence, makeDocs, repoRoot, type CliResult } from '../support/cli.js';

// `runbook/vitest` as a user's project gets it: the packed tarball (npm pack of
// this checkout's dist, built by `npm test` first) unpacked as node_modules/runbook.
// Offline: vitest and runbook's own dependencies are this repository's, linked
// in one by one rather than installed from the registry.
const passDoc = `# Passing doc\n\n## Setup\n\n${fence('ts', "const greeting = 'hello';\nconsole.log(greeting);")}\n## Use it\n\n${fence('ts', "if (greeting !== 'hello') throw new Error('lost');")}`;
const failDoc = `# Failing doc\n\n## Step 1\n\n${fence('ts', 'const n = 1;')}\n## Step 2\n\n${fence('ts', 'const m: number = n + 1;\nthrow new Error(`boom ${m}`);')}\n## Step 3\n\n${fence('ts', "console.log('never');")}`;
const featureDoc = `# Config feature\n\n${fence('ts', "const greeter = container.feature('greeter') as unknown as { hello(): string };\nif (greeter.hello() !== 'hello vitest') throw new Error(greeter.hello());")}`;
const importDoc = `# Imports\n\n${fence('ts', "import { answer } from '../src/answer.ts';\nif (answer !== 42) throw new Error(`answer is ${answer}`);")}`;
const runbookConfig = `import { defineConfig, Feature, z } from 'runbook';

class Greeter extends Feature<{ name: string }> {
  static readonly featureName = 'greeter';
  static readonly optionsSchema = z.object({ name: z.string().default('vitest') });
  hello(): string {
    return 'hello ' + this.options.name;
  }
}

export default defineConfig({ features: [Greeter], timeout: 5000 });
`;
const vitestConfig = `import { defineConfig } from 'vitest/config';
import runbook from 'runbook/vitest';

export default defineConfig({ plugins: [runbook()], test: { include: ['docs/**/*.md'] } });
`;

function scratchProject(): string {
  const dir = makeDocs({
    'package.json': '{ "name": "scratch", "private": true, "type": "module" }\n',
    'vitest.config.ts': vitestConfig,
    'runbook.config.ts': runbookConfig,
    'docs/pass.md': passDoc,
    'docs/fail.md': failDoc,
    'docs/feature.md': featureDoc,
    'docs/imports.md': importDoc,
    'src/answer.ts': 'export const answer = 42;\n',
  });
  const tarball = execFileSync('npm', ['pack', '--ignore-scripts', '--silent', '--pack-destination', dir, repoRoot], { cwd: dir, encoding: 'utf8' }).trim().split('\n').at(-1)!;
  mkdirSync(join(dir, 'node_modules/runbook'), { recursive: true });
  execFileSync('tar', ['xzf', join(dir, tarball), '-C', join(dir, 'node_modules/runbook'), '--strip-components=1']);
  const modules = realpathSync(join(repoRoot, 'node_modules'));
  for (const name of [...readdirSync(modules), '.bin']) {
    if (!existsSync(join(dir, 'node_modules', name))) symlinkSync(join(modules, name), join(dir, 'node_modules', name));
  }
  return dir;
}

// The scratch project's vitest, without the variables this (outer) vitest set for its workers.
function vitestEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1', CI: '1' };
  for (const key of Object.keys(env)) if (key.startsWith('VITEST') || key === 'FORCE_COLOR' || key === 'NODE_OPTIONS') delete env[key];
  return env;
}

function vitest(dir: string, args: string[], until?: { output: RegExp; then?: () => void; done: RegExp }): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(dir, 'node_modules/vitest/vitest.mjs'), ...args], { cwd: dir, env: vitestEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let stage = 0;
    const seen = () => {
      if (!until) return;
      if (stage === 0 && until.output.test(stdout)) {
        stage = 1;
        until.then?.();
      } else if (stage === 1 && until.done.test(stdout + stderr)) {
        stage = 2;
        child.kill('SIGTERM');
      }
    };
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
      seen();
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
      seen();
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), 40_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

describe('runbook/vitest in a project that installed the packed tarball', () => {
  let dir: string;
  beforeAll(() => {
    dir = scratchProject();
  }, 60_000);

  it('a passing doc is 2 passed tests, and a feature from runbook.config.ts is in the docs\' container; nothing is stamped', async () => {
    const result = await vitest(dir, ['run', '--reporter=verbose', 'docs/pass.md', 'docs/feature.md']);
    expect(result.stderr).toBe('');
    expect(result.stdout).toMatch(/✓ docs\/pass\.md > Passing doc > Setup · line 5/);
    expect(result.stdout).toMatch(/✓ docs\/pass\.md > Passing doc > Use it · line 12/);
    expect(result.stdout).toMatch(/✓ docs\/feature\.md > Config feature > Config feature · line 3/);
    expect(result.stdout).toMatch(/Tests {2}3 passed \(3\)/);
    expect(result.code).toBe(0);
    expect(readFileSync(join(dir, 'docs/pass.md'), 'utf8')).toBe(passDoc);
    // vitest is the plugin's peer dependency only: runbook's bundle never loads it.
    expect(readFileSync(join(dir, 'node_modules/runbook/dist/runbook.cjs'), 'utf8')).not.toMatch(/require\(["']vitest/);
  }, 60_000);

  it('a failing doc fails its block with the location and the code frame; vitest exits 1', async () => {
    const result = await vitest(dir, ['run', 'docs/fail.md']);
    // vitest prints failures on stderr, the summary on stdout.
    expect(result.stderr).toContain('FAIL  docs/fail.md > Failing doc > Step 2 · line 11\nRunbookBlockFailed: docs/fail.md:13:7 boom 2\n\n  11 | ```ts\n  12 | const m: number = n + 1;\n> 13 | throw new Error(`boom ${m}`);\n     |       ^');
    expect(result.stdout).toMatch(/Tests {2}1 failed \| 1 passed \| 1 skipped \(3\)/);
    expect(result.code).toBe(1);
  }, 60_000);

  it('a block whose test -t filtered out still runs when a later selected block needs what it declares', async () => {
    const result = await vitest(dir, ['run', '--reporter=verbose', 'docs/pass.md', '-t', 'Use it']);
    expect(result.stdout).toMatch(/↓ docs\/pass\.md > Passing doc > Setup · line 5/);
    expect(result.stdout).toMatch(/✓ docs\/pass\.md > Passing doc > Use it · line 12/);
    expect(result.code).toBe(0);
  }, 60_000);

  it('watch mode runs a doc again when a local file it imports changes', async () => {
    const result = await vitest(dir, ['watch', 'docs/imports.md'], {
      output: /Tests {2}1 passed/,
      then: () => writeFileSync(join(dir, 'src/answer.ts'), 'export const answer = 41;\n'),
      done: /docs\/imports\.md:5:26 answer is 41/,
    });
    expect(result.stdout).toMatch(/RERUN {2}src\/answer\.ts/);
    expect(result.stderr).toContain('docs/imports.md:5:26 answer is 41');
  }, 60_000);
});
