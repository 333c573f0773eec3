import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type TS from 'typescript';
import { runbookError } from '../../errors.js';

/**
 * The project's own TypeScript (found from `projectDir`), else the one
 * installed with runbook: docs are checked with the compiler the project
 * builds with. Loaded only when a doc has to be checked.
 */
export function loadTypeScript(projectDir: string): typeof TS {
  for (const from of [join(projectDir, 'package.json'), fileURLToPath(import.meta.url)]) {
    try {
      return createRequire(from)('typescript') as typeof TS;
    } catch {
      // Not installed there: look further.
    }
  }
  throw runbookError('RUNBOOK_NO_TYPESCRIPT', 'Type-checking docs needs the typescript package, and none was found: install it in your project (npm install --save-dev typescript).');
}
