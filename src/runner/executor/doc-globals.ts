import { createRequire } from 'node:module';
import type { Container } from '../../container/container.js';
import { globalFeatureNames } from '../../features/index.js';
import { RUNTIME } from '../../engine/runtime-name.js';
import { zodForDocs } from '../../engine/zod-for-docs.js';

/** What `$doc` tells a doc about itself. */
export interface DocInfo {
  path: string;
  dir: string;
  title: string;
  frontmatter: Record<string, unknown>;
}

// A global read through `get` until the doc assigns its own value to the name.
function defineLazyGlobal(name: string, get: () => unknown): void {
  Object.defineProperty(globalThis, name, {
    configurable: true,
    enumerable: true,
    get,
    set: (value: unknown) => Object.defineProperty(globalThis, name, { value, writable: true, configurable: true, enumerable: true }),
  });
}

function defineGlobal(name: string, value: unknown): void {
  Object.defineProperty(globalThis, name, { value, writable: true, configurable: true, enumerable: true });
}

/**
 * Installs a doc's globals on the executor's own globalThis: the container,
 * the core features by name (made on first use), `z`, `$doc`, `require` and
 * the runtime the compiled blocks call into. Everything else a doc sees is
 * Node's own. They are removed, with whatever the doc declared, when
 * ProcessBaseline.restore runs after the doc.
 */
export function installDocGlobals(container: Container, doc: DocInfo, runtime: object): void {
  defineGlobal('container', container);
  defineGlobal('$doc', doc);
  defineGlobal('require', createRequire(doc.path));
  defineLazyGlobal('z', zodForDocs);
  for (const name of globalFeatureNames) {
    if (container.has(name)) defineLazyGlobal(name, () => container.feature(name));
  }
  Object.defineProperty(globalThis, RUNTIME, { value: runtime, configurable: true, enumerable: false, writable: false });
}
