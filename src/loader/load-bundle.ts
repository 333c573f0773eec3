import { readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire, Module } from 'node:module';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import vm from 'node:vm';
import { privateCacheDir } from '../engine/file-cache.js';
import { readTextFile } from '../engine/read-text.js';
import { createRegisterFile, forkExecutor, watchEarlyExecutor, type EarlyExecutor } from '../runner/progress-register.js';

// Loads dist/runbook.cjs, the whole of runbook in one file, with a V8 code
// cache: compiling our code is most of what starting runbook costs above
// Node's own start, and the cache turns it into reading bytecode back. (Node 22
// has module.enableCompileCache for this; Node 20 does not.) V8 checks that a
// cache fits the code, Node version and flags; one that does not is ignored and
// replaced at exit. RUNBOOK_CACHE=off turns it off with the other caches.

/** What dist/runbook.cjs exports (src/app.ts). */
export interface RunbookBundle {
  cliMain(): void;
  executorMain(saveCodeCache?: () => void): void;
  zodForDocs(): unknown;
  loadPublicApi(): Promise<Record<string, unknown>>;
  loadVitestPlugin(): Promise<Record<string, unknown>>;
  loadVitestRuntime(): Promise<Record<string, unknown>>;
}

const hostImport = Symbol.for('runbook.import');

// Names cache files only (V8 checks the cache itself): FNV-1a, because loading node:crypto costs ~5 ms of every start.
function digest(text: string): string {
  let low = 0x811c9dc5;
  let high = 0x01000193;
  for (let i = 0; i < text.length; i++) {
    low = Math.imul(low ^ text.charCodeAt(i), 0x01000193) >>> 0;
    high = Math.imul(high ^ (low >>> 7), 0x01000193) >>> 0;
  }
  return high.toString(16).padStart(8, '0') + low.toString(16).padStart(8, '0');
}

// Named by the bundle's path, then by what V8 checks anyway: another install
// or Node version gets a file of its own, and a rebuild replaces its own.
function codeCacheFile(bundle: string, role: BundleRole): string | undefined {
  const dir = privateCacheDir('code-cache'); // bytecode is code we run: only from a folder we own
  if (dir === undefined) return undefined;
  const { size, mtimeMs } = statSync(bundle);
  return join(dir, `${digest(`${bundle}\0${role}`)}-${digest(`${size}\0${mtimeMs}\0${process.version}\0${process.arch}`)}.bin`);
}

/** Writes the cache and removes the files of this bundle's earlier builds. */
function writeQuietly(file: string, data: Buffer): void {
  const temporary = `${file}.${process.pid}.tmp`;
  const dir = dirname(file);
  try {
    writeFileSync(temporary, data);
    renameSync(temporary, file);
    const ours = `${basename(file).split('-')[0]}-`;
    for (const name of readdirSync(dir)) {
      if (name.startsWith(ours) && name.endsWith('.bin') && name !== basename(file)) rmSync(join(dir, name), { force: true });
    }
  } catch {
    // The cache is only a speed-up: a folder we cannot write to leaves it off.
    try {
      rmSync(temporary, { force: true });
    } catch {
      // Nothing was written.
    }
  }
}

/** Where bin/runbook.js's shebang keeps the user's NODE_EXTRA_CA_CERTS while this process starts. */
const parkedCaCertsVariable = 'RUNBOOK_PARKED_EXTRA_CA_CERTS';

/**
 * Puts back the NODE_EXTRA_CA_CERTS that bin/runbook.js's shebang kept from
 * Node's start: Node 20 parses that file and all its own root certificates as
 * it starts (about 70 ms of a 125 ms start on a machine that sets it), and the
 * supervisor makes no TLS connection. Called before any child starts, so that
 * executors, and the docs in them, get the variable and trust those
 * certificates exactly as the user set them. (The shebang cannot tell an unset
 * variable from an empty one; Node ignores an empty one too.)
 */
export function unparkCaCerts(): void {
  const parked = process.env[parkedCaCertsVariable];
  if (parked === undefined) return; // started as `node bin/runbook.js`: nothing was parked
  delete process.env[parkedCaCertsVariable];
  if (parked !== '') process.env.NODE_EXTRA_CA_CERTS = parked;
}

const earlyExecutor = Symbol.for('runbook.earlyExecutor');

/**
 * Starts an executor process (dist/executor.cjs) before runbook itself loads:
 * `runbook run` calls this first thing, so that the executor's Node start runs
 * alongside this process loading runbook, reading flags and finding docs.
 * schedule/executor.ts adopts it (see Executor.adopt).
 */
export function startExecutorEarly(): void {
  const argv = process.argv.slice(2);
  if (argv[0] !== 'run' || argv.includes('--help') || argv.includes('-h')) return;
  const register = createRegisterFile();
  const child = forkExecutor(fileURLToPath(new URL('./executor.cjs', import.meta.url)), register);
  (globalThis as Record<symbol, EarlyExecutor>)[earlyExecutor] = watchEarlyExecutor(child, register);
}

/**
 * Which part of the bundle a process runs. Each has a code cache of its own:
 * a cache holds the functions the run that wrote it compiled, so the command
 * line's would leave every function only an executor runs to be compiled again.
 */
export type BundleRole = 'cli' | 'executor' | 'api';

let pendingCache: (() => void) | undefined;

/**
 * Writes the code cache now if this process's load found none that fit (else
 * does nothing; once). An executor calls it after its first doc: it is killed,
 * not ended, so the write at exit never comes.
 */
export function saveCodeCache(): void {
  const write = pendingCache;
  pendingCache = undefined;
  write?.();
}

/** Loads runbook (once per process) and returns its exports. */
export function loadRunbook(role: BundleRole = 'api'): RunbookBundle {
  // An import() from a normally loaded module, for code restored from the cache (see src/engine/import-module.ts).
  (globalThis as Record<symbol, unknown>)[hostImport] ??= (specifier: string) => import(specifier);
  const bundle = fileURLToPath(new URL('./runbook.cjs', import.meta.url));
  const require = createRequire(bundle);
  const loaded = require.cache[bundle];
  if (loaded) return loaded.exports as RunbookBundle;

  let cacheFile: string | undefined;
  let cachedData: Buffer | undefined;
  try {
    cacheFile = codeCacheFile(bundle, role);
    if (cacheFile) cachedData = readFileSync(cacheFile);
  } catch {
    cachedData = undefined; // no cache yet
  }
  // The file's text is the module's function (scripts/build.mjs wraps it), compiled as read: Node keeps
  // a text this large outside V8's heap, and joining a wrapper to it made V8 copy it onto the heap.
  const script = new vm.Script(readTextFile(bundle), { filename: bundle, cachedData });
  // Registered as a CommonJS module, so that a require('./runbook.cjs') elsewhere finds this one (Node's own
  // loader would wrap the file's function again, and never call it).
  const module = new Module(bundle);
  module.filename = bundle;
  require.cache[bundle] = module;
  const wrapper = script.runInThisContext() as (exports: object, require: NodeJS.Require, module: Module, filename: string, dirname: string) => void;
  wrapper.call(module.exports, module.exports, require, module, bundle, dirname(bundle));
  module.loaded = true;
  // Written as late as may be (at exit, unless saveCodeCache comes first), so that it holds the functions this run compiled too.
  if (cacheFile && (!cachedData || script.cachedDataRejected)) {
    const file = cacheFile;
    pendingCache = () => writeQuietly(file, script.createCachedData());
    process.once('exit', saveCodeCache);
  }
  return module.exports as RunbookBundle;
}
