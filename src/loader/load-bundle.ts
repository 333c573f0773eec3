import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire, Module } from 'node:module';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import vm from 'node:vm';
import { privateCacheDir } from '../engine/file-cache.js';

// Loads dist/runbook.cjs, the whole of runbook in one file, with a V8 code
// cache: compiling our code is most of what starting runbook costs above
// Node's own start, and the cache turns it into reading bytecode back. (Node 22
// has module.enableCompileCache for this; Node 20 does not.) V8 checks that a
// cache fits the code, Node version and flags; one that does not is ignored and
// replaced at exit. RUNBOOK_CACHE=off turns it off with the other caches.

/** What dist/runbook.cjs exports (src/app.ts). */
export interface RunbookBundle {
  cliMain(): void;
  workerMain(): void;
  zodForDocs(): unknown;
  loadPublicApi(): Promise<Record<string, unknown>>;
}

const hostImport = Symbol.for('runbook.import');

const digest = (text: string): string => createHash('sha256').update(text).digest('hex').slice(0, 16);

// Named by the bundle's path, then by what V8 checks anyway: another install
// or Node version gets a file of its own, and a rebuild replaces its own.
function codeCacheFile(bundle: string): string | undefined {
  const dir = privateCacheDir('code-cache'); // bytecode is code we run: only from a folder we own
  if (dir === undefined) return undefined;
  const { size, mtimeMs } = statSync(bundle);
  return join(dir, `${digest(bundle)}-${digest(`${size}\0${mtimeMs}\0${process.version}\0${process.arch}`)}.bin`);
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

/** Loads runbook (once per process) and returns its exports. */
export function loadRunbook(): RunbookBundle {
  // An import() from a normally loaded module, for code restored from the cache (see src/engine/import-module.ts).
  (globalThis as Record<symbol, unknown>)[hostImport] ??= (specifier: string) => import(specifier);
  const bundle = fileURLToPath(new URL('./runbook.cjs', import.meta.url));
  const require = createRequire(bundle);
  const loaded = require.cache[bundle];
  if (loaded) return loaded.exports as RunbookBundle;

  let cacheFile: string | undefined;
  let cachedData: Buffer | undefined;
  try {
    cacheFile = codeCacheFile(bundle);
    if (cacheFile) cachedData = readFileSync(cacheFile);
  } catch {
    cachedData = undefined; // no cache yet
  }
  const script = new vm.Script(Module.wrap(readFileSync(bundle, 'utf8')), { filename: bundle, cachedData });
  // Registered as a CommonJS module, so that require('./runbook.cjs') elsewhere (dist/index.js) finds this one.
  const module = new Module(bundle);
  module.filename = bundle;
  require.cache[bundle] = module;
  const wrapper = script.runInThisContext() as (exports: object, require: NodeJS.Require, module: Module, filename: string, dirname: string) => void;
  wrapper.call(module.exports, module.exports, require, module, bundle, dirname(bundle));
  module.loaded = true;
  // Written at exit, so that it holds the functions this run compiled too.
  if (cacheFile && (!cachedData || script.cachedDataRejected)) {
    const file = cacheFile;
    process.once('exit', () => writeQuietly(file, script.createCachedData()));
  }
  return module.exports as RunbookBundle;
}
