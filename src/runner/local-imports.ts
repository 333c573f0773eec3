import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { typeScriptCandidates } from '../engine/ts-files.js';
import { parseRunbookText } from '../markdown/parse.js';

// `import x from './a'`, `export * from './a'`, `import('./a')`, `require('./a')` with a relative path.
const specifierPattern = /(?:\bfrom\s*|\bimport\s*\(?\s*|\brequire\s*\(\s*)(['"])(\.{1,2}\/[^'"\n]+)\1/g;
// After the file itself and the TypeScript files the module hooks would find (src/loader/ts-hooks.ts).
const javaScriptExtensions = ['.js', '.mjs', '.cjs', '.json', '/index.js'];

function relativeSpecifiers(code: string): string[] {
  return [...code.matchAll(specifierPattern)].map((match) => match[2]!);
}

const isFile = (path: string): boolean => existsSync(path) && statSync(path).isFile();

function resolveLocal(specifier: string, fromDir: string): string | undefined {
  const base = resolve(fromDir, specifier);
  if (isFile(base)) return base;
  return [...typeScriptCandidates(base), ...javaScriptExtensions.map((extension) => base + extension)].find(isFile);
}

/**
 * The local files a doc depends on: the doc itself, and the files its blocks
 * import by relative path, followed through the files they import in turn.
 * Packages are left out: --watch follows what the user is editing.
 */
export function localImports(docPath: string): string[] {
  const found = new Set<string>([resolve(docPath)]);
  const queue: { code: string; dir: string }[] = [];
  try {
    const doc = parseRunbookText(readFileSync(docPath, 'utf8'), docPath);
    for (const block of doc.blocks) if (block.kind === 'code') queue.push({ code: block.source, dir: dirname(resolve(docPath)) });
  } catch {
    return [...found]; // A doc that does not parse right now still gets watched, so fixing it re-runs it.
  }
  while (queue.length) {
    const { code, dir } = queue.shift()!;
    for (const specifier of relativeSpecifiers(code)) {
      const file = resolveLocal(specifier, dir);
      if (!file || found.has(file)) continue;
      found.add(file);
      try {
        queue.push({ code: readFileSync(file, 'utf8'), dir: dirname(file) });
      } catch {
        // Unreadable now; it is watched and will be read again on the next run.
      }
    }
  }
  return [...found];
}
