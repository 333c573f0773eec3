import { existsSync, readFileSync, statSync } from 'node:fs';
import { isBuiltin } from 'node:module';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { runbookError } from '../errors.js';
import { importModule } from './import-module.js';
import { isTypeScriptFile } from './ts-files.js';
import { useTypeScriptImports } from './ts-imports.js';

type Exports = string | null | Exports[] | { [key: string]: Exports };

const conditions = ['import', 'node', 'default'];

// Picks the file a package's "exports" map gives an ESM importer for a subpath.
function resolveExports(exports: Exports, subpath: string): string | undefined {
  if (typeof exports === 'string') return subpath === '.' ? exports : undefined;
  if (exports === null) return undefined;
  if (Array.isArray(exports)) {
    for (const candidate of exports) {
      const found = resolveExports(candidate, subpath);
      if (found) return found;
    }
    return undefined;
  }
  const keys = Object.keys(exports);
  if (keys.some((key) => key.startsWith('.'))) {
    const exact = exports[subpath];
    if (exact !== undefined) return resolveExports(exact, '.');
    for (const key of keys) {
      const star = key.indexOf('*');
      if (star === -1) continue;
      const [prefix, suffix] = [key.slice(0, star), key.slice(star + 1)];
      if (subpath.startsWith(prefix) && subpath.endsWith(suffix)) {
        const target = resolveExports(exports[key]!, '.');
        return target?.replace('*', subpath.slice(prefix.length, subpath.length - suffix.length));
      }
    }
    return undefined;
  }
  for (const condition of conditions) {
    if (condition in exports) {
      const found = resolveExports(exports[condition]!, subpath);
      if (found) return found;
    }
  }
  return undefined;
}

function splitSpecifier(specifier: string): { name: string; subpath: string } {
  const parts = specifier.split('/');
  const length = specifier.startsWith('@') ? 2 : 1;
  const name = parts.slice(0, length).join('/');
  const rest = parts.slice(length).join('/');
  return { name, subpath: rest ? `./${rest}` : '.' };
}

/** Finds a bare specifier in a node_modules folder at or above `fromDir`. */
function resolvePackage(specifier: string, fromDir: string): string | undefined {
  const { name, subpath } = splitSpecifier(specifier);
  for (let dir = fromDir; ; dir = dirname(dir)) {
    const packageDir = join(dir, 'node_modules', name);
    const manifestPath = join(packageDir, 'package.json');
    if (existsSync(manifestPath)) {
      const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as { exports?: Exports; module?: string; main?: string };
      const target = manifest.exports !== undefined
        ? resolveExports(manifest.exports, subpath)
        : subpath === '.' ? manifest.module ?? manifest.main ?? 'index.js' : subpath;
      if (target) return join(packageDir, target);
    }
    if (dirname(dir) === dir) return undefined;
  }
}

/**
 * Loads modules for a doc's `import` statements: relative paths from the doc's
 * folder (TypeScript files too, with or without their extension), packages
 * from node_modules above the doc, then from runbook's own.
 */
export function createDocImporter(docDir: string): (specifier: string) => Promise<unknown> {
  return async (specifier: string) => {
    if (typeof specifier !== 'string') throw runbookError('RUNBOOK_IMPORT', `import() needs a string specifier, got ${typeof specifier}.`);
    if (isBuiltin(specifier)) return importModule(specifier);
    if (specifier.startsWith('.') || isAbsolute(specifier) || specifier.startsWith('file:')) {
      const path = specifier.startsWith('file:') ? fileURLToPath(specifier) : resolve(docDir, specifier);
      // The hooks cost a loader thread (~60 ms of CPU on Node 20): only a TypeScript file, or a name that may mean one, pays.
      if (isTypeScriptFile(path) || !statSync(path, { throwIfNoEntry: false })?.isFile()) useTypeScriptImports();
      return importModule(specifier.startsWith('file:') ? specifier : pathToFileURL(path).href);
    }
    const local = resolvePackage(specifier, docDir);
    if (local) return importModule(pathToFileURL(local).href);
    try {
      return await importModule(specifier);
    } catch (error) {
      throw runbookError(
        'RUNBOOK_IMPORT',
        `Cannot find package '${specifier}' from ${docDir} (nor among runbook's own dependencies). Install it next to the doc: npm install ${splitSpecifier(specifier).name}`,
        { cause: error },
      );
    }
  };
}
