// Bundles src/ into dist/ with esbuild. Code splitting keeps rarely used parts
// (reporters, AI features, REPL) in chunks loaded only when a run needs them.
//
// Small pure-JS dependencies are bundled in: Node's ESM loader pays per file it
// resolves and links (zod and micromark are dozens of files each), and CommonJS
// packages imported from ESM are scanned by cjs-module-lexer first. Bundled,
// they load as part of one chunk. Packages stay external when they are native
// (esbuild), heavy and only ever imported lazily (ws, openai, execa, marked…),
// or when a doc may share them with us at run time.
import { build } from 'esbuild';
import { readFileSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const external = [
  'esbuild',
  'ws',
  'bufferutil',
  'utf-8-validate',
  'openai',
  'execa',
  'marked',
  'marked-terminal',
];

// js-yaml looks for the optional esprima (a 280 kB parser) at load time, only
// for its unsafe !!js/function type; gray-matter parses with safeLoad, which
// never uses it. Bundled, that lookup would load esprima for every run.
const withoutEsprima = {
  name: 'without-esprima',
  setup(builder) {
    builder.onLoad({ filter: /js-yaml[\\/]lib[\\/]js-yaml[\\/]type[\\/]js[\\/]function\.js$/ }, (args) => {
      const source = readFileSync(args.path, 'utf8');
      if (!source.includes("_require('esprima')")) throw new Error(`${args.path} no longer loads esprima the way scripts/build.mjs expects: update the without-esprima plugin.`);
      return { contents: source.replace("_require('esprima')", 'undefined'), loader: 'js' };
    });
  },
};

const root = fileURLToPath(new URL('..', import.meta.url));
rmSync(`${root}/dist`, { recursive: true, force: true });
await build({
  absWorkingDir: root,
  entryPoints: { cli: 'src/cli/main.ts', index: 'src/index.ts', worker: 'src/runner/worker-main.ts' },
  outdir: 'dist',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  external,
  plugins: [withoutEsprima],
  // Bundled CommonJS code (gray-matter, picocolors…) calls require() for Node's
  // built-ins; an ES module has none of its own.
  banner: { js: "import { createRequire as __runbookCreateRequire } from 'node:module';\nconst require = __runbookCreateRequire(import.meta.url);" },
  sourcemap: 'linked',
  chunkNames: '[name]-[hash]', // beside the entries, so chunks can find worker.js next to them
  logLevel: 'warning',
});
