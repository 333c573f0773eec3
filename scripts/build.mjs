// Builds dist/ from src/ with esbuild:
//
//   runbook.cjs     all of runbook in one CommonJS module (src/app.ts), written as
//                   its module function and loaded only by load-bundle.js
//                   (src/loader/load-bundle.ts), with a V8 code cache;
//   load-bundle.js  that loader, an ES module;
//   ts-hooks.js     module hooks for docs' local TypeScript imports (Node's loader thread);
//   index.js        the public API (an ES module over runbook.cjs), plus `z`;
//   vitest.js       `runbook/vitest`, the vitest plugin (an ES module over runbook.cjs);
//   vitest-runtime.js  what the test modules that plugin makes call, in vitest's workers;
//   executor.cjs    an executor process: runs docs for the supervisor
//                   (CommonJS, over load-bundle.cjs: no ES module loader to start);
//   zod.cjs         the whole of zod, for docs' `z` (loaded on first use);
//   notebook/       the page `runbook open` serves (notebook.js for browsers, notebook.css);
//   index.d.ts, vitest.d.ts, types/  the public API's and the plugin's types (tsc, tsconfig.types.json);
// and, outside dist/, schema/report.schema.json (the JSON report's JSON Schema).
//
// One file, because with a code cache compiling costs next to nothing and
// every extra module would cost a resolve and a read. Code the run does not
// always need (parsers, reporters, AI features) is still only run on demand:
// esbuild turns our dynamic import()s of it into lazily initialised modules.
// Small pure-JS dependencies are bundled in; packages stay external when they
// are native (esbuild), heavy and loaded lazily (ws, openai, execa, marked…),
// or when a doc may share them with us at run time.
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const external = ['esbuild', 'ws', 'bufferutil', 'utf-8-validate', 'openai', 'execa', 'marked', 'marked-terminal'];

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

// Names what a bundle was built from (our sources and the locked versions of
// the dependencies bundled in): doc cache entries of another build are never used.
function sourcesHash() {
  const hash = createHash('sha256').update(readFileSync(join(root, 'package.json')));
  if (existsSync(join(root, 'package-lock.json'))) hash.update(readFileSync(join(root, 'package-lock.json')));
  const files = readdirSync(join(root, 'src'), { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name))
    .sort();
  for (const file of files) hash.update(file.slice(root.length)).update('\0').update(readFileSync(file)).update('\0');
  return hash.digest('hex').slice(0, 16);
}

const common = { absWorkingDir: root, bundle: true, platform: 'node', target: 'node20', logLevel: 'warning' };

rmSync(join(root, 'dist'), { recursive: true, force: true });
await build({
  ...common,
  entryPoints: ['src/app.ts'],
  outfile: 'dist/runbook.cjs',
  format: 'cjs',
  external,
  plugins: [withoutEsprima],
  // Code restored from a code cache cannot call import() on Node 20 (see
  // src/engine/import-module.ts): ours become require() of bundled modules.
  supported: { 'dynamic-import': false },
  define: { 'import.meta.url': '__runbookModuleUrl', __RUNBOOK_BUILD_ID__: JSON.stringify(sourcesHash()) },
  // The file is the module's function itself, as Node's CommonJS loader would wrap it: load-bundle
  // compiles the text it read as it is (wrapped there, V8 copied the 1.8 MB text into a string of its
  // own). Strict, as our ES modules are: esbuild's "use strict" comes after this banner, too late to count.
  banner: { js: "(function (exports, require, module, __filename, __dirname) { 'use strict'; var __runbookModuleUrl = require('node:url').pathToFileURL(__filename).href;" },
  footer: { js: '})' },
  // Whitespace only (names stay, so stack traces still name our functions; the linked map gives
  // lines): both processes of every run hold and parse this text. 1.85 MB became 1.32 MB; paired,
  // the one-block doc 0.97x wall and the corpus 0.99x, the two processes' peak RSS 1.1 MiB less.
  minifyWhitespace: true,
  sourcemap: 'linked',
});
await build({ ...common, entryPoints: ['src/loader/load-bundle.ts'], outfile: 'dist/load-bundle.js', format: 'esm' });
// The executor starts as CommonJS: it skips initialising Node's ES module loader, ~10 ms of every executor's start.
await build({
  ...common,
  entryPoints: ['src/loader/load-bundle.ts'],
  outfile: 'dist/load-bundle.cjs',
  format: 'cjs',
  define: { 'import.meta.url': '__loaderUrl' },
  banner: { js: "var __loaderUrl = require('node:url').pathToFileURL(__filename).href;" },
});
await build({ ...common, entryPoints: ['src/loader/ts-hooks.ts'], outfile: 'dist/ts-hooks.js', format: 'esm', external });
await build({
  ...common,
  stdin: { contents: "export * as z from 'zod';", resolveDir: root, sourcefile: 'zod-entry.js' },
  outfile: 'dist/zod.cjs',
  format: 'cjs',
});

// Node reads a file that is all ASCII several times faster than one with any
// other character (about 2 ms against 6.5 ms for runbook.cjs), and each run
// reads the bundle in two processes. esbuild escapes every such character in
// code; the ones left are in comments carried over from dependencies, and
// become '?' (one character for one: the source map's columns stay right).
function asciiOnly(file) {
  const path = join(root, file);
  const text = readFileSync(path, 'utf8');
  const outside = text.split('\n').findIndex((line) => {
    const at = line.search(/[^\x00-\x7f]/);
    return at !== -1 && !/\/\/|\/\*|^\s*\*/.test(line.slice(0, at));
  });
  if (outside !== -1) {
    console.warn(`scripts/build.mjs: ${file}:${outside + 1} has a non-ASCII character outside a comment; left as it is (the bundle loads a little slower).`);
    return;
  }
  writeFileSync(path, text.replace(/[^\x00-\x7f]/g, '?'));
}
asciiOnly('dist/runbook.cjs');
asciiOnly('dist/zod.cjs');

// The notebook page: plain DOM code for browsers, no framework; served by src/servers/notebook/notebook-server.ts.
await build({
  absWorkingDir: root,
  bundle: true,
  logLevel: 'warning',
  entryPoints: { notebook: 'src/servers/notebook/page/notebook.ts' },
  outdir: 'dist/notebook',
  platform: 'browser',
  format: 'iife',
  target: ['chrome110', 'firefox110', 'safari16'],
  minify: true,
});
await build({ absWorkingDir: root, bundle: true, logLevel: 'warning', entryPoints: ['src/servers/notebook/page/notebook.css'], outfile: 'dist/notebook/notebook.css', minify: true });

// The public API's names, for the ES module that re-exports them.
const scan = await build({ ...common, entryPoints: ['src/public-api.ts'], format: 'esm', packages: 'external', write: false, metafile: true, outdir: 'dist' });
const names = Object.values(scan.metafile.outputs).flatMap((output) => output.exports);
const generated = '// Generated by scripts/build.mjs.\n';
writeFileSync(
  join(root, 'dist/index.js'),
  `${generated}import { loadRunbook } from './load-bundle.js';\n\nconst runbook = loadRunbook();\nexport const { ${names.join(', ')} } = await runbook.loadPublicApi();\nexport const z = runbook.zodForDocs();\n`,
);
// runbook/vitest: vitest itself is never loaded by runbook; the generated test modules import it.
writeFileSync(
  join(root, 'dist/vitest.js'),
  `${generated}import { loadRunbook } from './load-bundle.js';\n\nconst { runbookVitest } = await loadRunbook().loadVitestPlugin();\nexport { runbookVitest as runbook };\nexport default runbookVitest;\n`,
);
writeFileSync(
  join(root, 'dist/vitest-runtime.js'),
  `${generated}import { loadRunbook } from './load-bundle.js';\n\nexport const { docSuite } = await loadRunbook().loadVitestRuntime();\n`,
);
writeFileSync(join(root, 'dist/executor.cjs'), `${generated}'use strict';\nconst { loadRunbook, saveCodeCache } = require('./load-bundle.cjs');\n\nloadRunbook('executor').executorMain(saveCodeCache);\n`);

// schema/report.schema.json: the JSON report's schema, shipped in the package, generated from the
// zod schema merge-reports validates with (so the two cannot drift); rewritten only when it changed.
const schemaModule = await build({ ...common, entryPoints: ['src/runner/reporters/json-report-schema.ts'], format: 'esm', write: false });
const { reportJsonSchema } = await import(`data:text/javascript;base64,${Buffer.from(schemaModule.outputFiles[0].text).toString('base64')}`);
const schemaFile = join(root, 'schema/report.schema.json');
const schemaText = `${JSON.stringify(reportJsonSchema(), null, 2)}\n`;
if (!existsSync(schemaFile) || readFileSync(schemaFile, 'utf8') !== schemaText) {
  mkdirSync(dirname(schemaFile), { recursive: true });
  writeFileSync(schemaFile, schemaText);
}

execFileSync(process.execPath, [createRequire(import.meta.url).resolve('typescript/bin/tsc'), '-p', 'tsconfig.types.json'], { cwd: root, stdio: 'inherit' });
writeFileSync(join(root, 'dist/index.d.ts'), `${generated}export * from './types/index.js';\n`);
writeFileSync(
  join(root, 'dist/vitest.d.ts'),
  `${generated}export { runbookVitest as runbook, runbookVitest as default, type RunbookVitestOptions } from './types/vitest/plugin.js';\n`,
);
