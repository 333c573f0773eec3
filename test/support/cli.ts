import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, onTestFinished } from 'vitest';
import type { RunResult } from '../../src/runner/results.js';

/** The repository root, found from this file so no machine path is baked in. */
export const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
export const cliPath = join(repoRoot, 'bin', 'runbook.js');

const made: string[] = [];

// Folders made in beforeAll live until the file's tests are done.
afterAll(() => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/**
 * Writes files (path → content; a Buffer is written as is) into a fresh folder
 * under the OS temp dir and returns the folder. Removed after the test that
 * made it, or (made in beforeAll) after the file's last test.
 */
export function makeDocs(files: Record<string, string | Buffer>): string {
  const dir = mkdtempSync(join(tmpdir(), 'runbook-e2e-'));
  try {
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  } catch {
    made.push(dir); // not inside a test
  }
  for (const [name, content] of Object.entries(files)) {
    const path = join(dir, name);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, content);
  }
  return dir;
}

/** A fresh, empty folder for RUNBOOK_CACHE_DIR, removed like makeDocs' folders. */
export function makeCacheDir(): string {
  return makeDocs({});
}

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface CliOptions {
  cwd?: string;
  /** Added to the environment; a value of undefined removes the variable (e.g. { CI: undefined }). */
  env?: Record<string, string | undefined>;
  /** Kill the CLI after this long (ms); default 20 s. */
  timeoutMs?: number;
  /** Start bin/runbook.js itself, through its shebang, as an installed `runbook` is (default: `node bin/runbook.js`). */
  viaShebang?: boolean;
  /** Written to the CLI's stdin, which is then closed (default: no stdin at all). */
  input?: string;
}

// Set when this suite itself runs in GitHub Actions; they would add annotations to every run's output.
const githubActionsVariables = ['GITHUB_ACTIONS', 'GITHUB_WORKSPACE', 'GITHUB_STEP_SUMMARY'];

/**
 * Spawns `node bin/runbook.js …args` with NO_COLOR=1, without FORCE_COLOR or
 * GitHub Actions' variables (unless `env` gives them), and collects its output.
 */
export function runCli(args: string[], options: CliOptions = {}): Promise<CliResult> {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' };
  for (const name of ['FORCE_COLOR', ...githubActionsVariables]) delete env[name];
  for (const [key, value] of Object.entries(options.env ?? {})) {
    if (value === undefined) delete env[key];
    else env[key] = value;
  }
  return new Promise((resolve, reject) => {
    const [command, commandArgs] = options.viaShebang ? [cliPath, args] : [process.execPath, [cliPath, ...args]];
    const spawnOptions = { cwd: options.cwd ?? repoRoot, env };
    const child =
      options.input === undefined
        ? spawn(command, commandArgs, { ...spawnOptions, stdio: ['ignore', 'pipe', 'pipe'] })
        : spawn(command, commandArgs, { ...spawnOptions, stdio: ['pipe', 'pipe', 'pipe'] });
    child.stdin?.end(options.input);
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 20_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/**
 * Runs docs with the json reporter into a file and returns the exit code, the
 * parsed report and the CLI's own output. `args` go after the doc paths.
 */
export async function runJson(cwd: string, docs: string[], args: string[] = [], options: Omit<CliOptions, 'cwd'> = {}): Promise<CliResult & { report: RunResult }> {
  const reportFile = join(cwd, `.report-${Math.random().toString(36).slice(2)}.json`);
  const result = await runCli(['run', ...docs, '--reporter', 'json', '--output-file', reportFile, ...args], { ...options, cwd });
  let report: RunResult;
  try {
    report = JSON.parse(readFileSync(reportFile, 'utf8')) as RunResult;
  } catch (error) {
    throw new Error(`no JSON report (exit ${result.code}); stderr:\n${result.stderr}\nstdout:\n${result.stdout}`, { cause: error });
  }
  rmSync(reportFile, { force: true });
  return { ...result, report };
}

/** The result of one doc in a run, by the path it was given as. */
export function docResult(report: RunResult, path: string) {
  const doc = report.docs.find((d) => d.path === path);
  if (!doc) throw new Error(`no result for ${path}; have: ${report.docs.map((d) => d.path).join(', ')}`);
  return doc;
}

/** A fenced block as Markdown text. */
export function fence(lang: string, code: string, meta = ''): string {
  return `\`\`\`${lang}${meta ? ` ${meta}` : ''}\n${code}\n\`\`\`\n`;
}
