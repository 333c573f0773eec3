import * as fsSync from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, resolve } from 'node:path';
import * as z from 'zod';
import { runbookError } from '../errors.js';
import { Feature } from '../container/feature.js';
import { lazy } from '../container/lazy.js';

const optionsSchema = lazy(() => z.object({}).strict());

type Encoding = BufferEncoding;

function parseJson(text: string, path: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw runbookError('RUNBOOK_INVALID_JSON', `${path} is not valid JSON: ${(error as Error).message}. Fix the file, or read it as text with fs.readFile().`, {
      cause: error,
    });
  }
}

function stringifyJson(value: unknown, indent: number): string {
  return `${JSON.stringify(value, null, indent)}\n`;
}

/**
 * File helpers for docs, async and sync. Relative paths resolve against the
 * container's cwd (the doc's folder when a doc runs), not the process cwd.
 */
export class Fs extends Feature {
  static override readonly featureName = 'fs';
  static override readonly kind = 'feature';
  static override readonly description = "File helpers (read, write, JSON, mkdirp, rm); relative paths resolve against the doc's folder.";
  static override get optionsSchema() {
    return optionsSchema();
  }

  /** Absolute path for `path`, resolved against `container.settings.cwd`. */
  resolve(...paths: string[]): string {
    return resolve(this.container.settings.cwd, ...paths);
  }

  /** Reads a file as text (default utf8). */
  readFile(path: string, encoding: Encoding = 'utf8'): Promise<string> {
    return fsSync.promises.readFile(this.resolve(path), encoding);
  }

  readFileSync(path: string, encoding: Encoding = 'utf8'): string {
    return fsSync.readFileSync(this.resolve(path), encoding);
  }

  /** Writes text or bytes, creating missing parent folders. */
  async writeFile(path: string, content: string | Uint8Array): Promise<string> {
    const target = this.resolve(path);
    await fsSync.promises.mkdir(dirname(target), { recursive: true });
    await fsSync.promises.writeFile(target, content);
    return target;
  }

  writeFileSync(path: string, content: string | Uint8Array): string {
    const target = this.resolve(path);
    fsSync.mkdirSync(dirname(target), { recursive: true });
    fsSync.writeFileSync(target, content);
    return target;
  }

  /** Appends text, creating the file and its folders if needed. */
  async appendFile(path: string, content: string | Uint8Array): Promise<string> {
    const target = this.resolve(path);
    await fsSync.promises.mkdir(dirname(target), { recursive: true });
    await fsSync.promises.appendFile(target, content);
    return target;
  }

  async exists(path: string): Promise<boolean> {
    try {
      await fsSync.promises.access(this.resolve(path));
      return true;
    } catch {
      return false;
    }
  }

  existsSync(path: string): boolean {
    return fsSync.existsSync(this.resolve(path));
  }

  async readJson<T = unknown>(path: string): Promise<T> {
    const target = this.resolve(path);
    return parseJson(await fsSync.promises.readFile(target, 'utf8'), target) as T;
  }

  readJsonSync<T = unknown>(path: string): T {
    const target = this.resolve(path);
    return parseJson(fsSync.readFileSync(target, 'utf8'), target) as T;
  }

  /** Writes `value` as JSON (indent default 2, trailing newline), creating parent folders. */
  writeJson(path: string, value: unknown, indent = 2): Promise<string> {
    return this.writeFile(path, stringifyJson(value, indent));
  }

  writeJsonSync(path: string, value: unknown, indent = 2): string {
    return this.writeFileSync(path, stringifyJson(value, indent));
  }

  /** Creates a folder and its parents; fine if it exists. Returns the absolute path. */
  async mkdirp(path: string): Promise<string> {
    const target = this.resolve(path);
    await fsSync.promises.mkdir(target, { recursive: true });
    return target;
  }

  mkdirpSync(path: string): string {
    const target = this.resolve(path);
    fsSync.mkdirSync(target, { recursive: true });
    return target;
  }

  /** Removes a file or a folder tree; fine if it does not exist. */
  rm(path: string): Promise<void> {
    return fsSync.promises.rm(this.resolve(path), { recursive: true, force: true });
  }

  rmSync(path: string): void {
    fsSync.rmSync(this.resolve(path), { recursive: true, force: true });
  }

  /** Names of the entries in a folder, sorted. */
  async readdir(path = '.'): Promise<string[]> {
    return (await fsSync.promises.readdir(this.resolve(path))).sort();
  }

  readdirSync(path = '.'): string[] {
    return fsSync.readdirSync(this.resolve(path)).sort();
  }

  stat(path: string): Promise<fsSync.Stats> {
    return fsSync.promises.stat(this.resolve(path));
  }

  statSync(path: string): fsSync.Stats {
    return fsSync.statSync(this.resolve(path));
  }

  /** Makes a fresh temporary folder (under the OS temp dir) and returns its path. */
  mkdtemp(prefix = 'runbook-'): Promise<string> {
    return fsSync.promises.mkdtemp(resolve(tmpdir(), prefix));
  }
}
