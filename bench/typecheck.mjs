// `runbook check` against `tsc --noEmit` on the same code, and its warm re-check
// against Node's own start, measured in alternating rounds of the same run.
//
//   node bench/typecheck.mjs [--rounds 5]     (after `npm run build`)
//
// The same code for tsc: every checked block of docs/examples/*.md as a .ts file
// of its own (a module), with the docs' globals declared as runbook declares them: what tsc
// compiles is the docs' code with the same globals, though it cannot see one
// block's names in the next (so it reports errors runbook does not).
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { globSync } from 'tinyglobby';
import { parseRunbook } from '../dist/index.js';
import { measure } from './compare/measure.mjs';
import { formatMs, formatRatio, median, table } from './compare/report.mjs';

const { values } = parseArgs({ options: { rounds: { type: 'string', default: '5' } } });
const rounds = Number(values.rounds);
const root = fileURLToPath(new URL('..', import.meta.url));
const cli = join(root, 'bin', 'runbook.js');
const docs = globSync('docs/examples/*.md', { cwd: root }).sort();
const checked = new Set(['ts', 'typescript', 'tsx', 'mts']);

const work = mkdtempSync(join(tmpdir(), 'runbook-typecheck-bench-'));
const project = join(work, 'ts');
mkdirSync(project);
let files = 0;
for (const doc of docs) {
  const parsed = parseRunbook(doc);
  for (const block of parsed.blocks.filter((b) => b.kind === 'code' && checked.has(b.lang) && !b.tokens.raw.includes('nocheck'))) {
    writeFileSync(join(project, `${doc.replace(/\W/g, '_')}_${block.index}.ts`), `export {};\n${block.source}\n`);
    files++;
  }
}
// Typed as runbook types them (src/engine/typecheck/type-checker.ts): zod's and the features' types cost real checking time.
const api = JSON.stringify(join(root, 'dist', 'index.js'));
const features = ['ui', 'fs', 'networking', 'proc'].map((name) => `  var ${name}: import(${api}).FeatureTypes['${name}'];`);
writeFileSync(
  join(project, 'globals.d.ts'),
  ['export {};', 'declare global {', `  var container: import(${api}).Container;`, `  var z: typeof import(${api}).z;`, '  var $doc: { path: string; dir: string; title: string; frontmatter: Record<string, unknown> };', ...features, '}', ''].join('\n'),
);
writeFileSync(
  join(project, 'tsconfig.json'),
  JSON.stringify({ compilerOptions: { target: 'ES2022', module: 'ESNext', moduleResolution: 'Bundler', strict: true, noEmit: true, skipLibCheck: true, allowImportingTsExtensions: true, types: ['node'], typeRoots: [join(root, 'node_modules', '@types')] } }),
);
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
const warmCache = join(work, 'warm-cache');

const commands = {
  'runbook check, cold': () => measure(process.execPath, [cli, 'check', ...docs], { cwd: root, env: { RUNBOOK_CACHE_DIR: mkdtempSync(join(work, 'cold-')) } }),
  'runbook check, warm': () => measure(process.execPath, [cli, 'check', ...docs], { cwd: root, env: { RUNBOOK_CACHE_DIR: warmCache } }),
  'tsc --noEmit': () => measure(process.execPath, [tsc, '-p', project], { cwd: project }),
  'node -e 0': () => measure(process.execPath, ['-e', '0']),
};

console.log(`runbook check benchmark — ${docs.length} docs, ${files} checked blocks; node ${process.version}; ${rounds} rounds`);
await commands['runbook check, warm'](); // fills the warm cache
const times = Object.fromEntries(Object.keys(commands).map((name) => [name, []]));
for (let round = 0; round < rounds; round++) {
  for (const [name, run] of Object.entries(commands)) {
    const result = await run();
    if (name.startsWith('runbook') && result.code !== 0 && result.code !== 1) throw new Error(`${name} failed (${result.code}): ${result.stderr}`);
    times[name].push(result.wallMs);
  }
}
const m = Object.fromEntries(Object.entries(times).map(([name, list]) => [name, median(list)]));
console.log(table([['command', 'median wall'], ...Object.entries(m).map(([name, ms]) => [name, formatMs(ms)])]));
console.log(`cold check against tsc --noEmit: ${formatRatio(m['runbook check, cold'], m['tsc --noEmit'])}`);
console.log(`warm re-check against node -e 0: ${(m['runbook check, warm'] / m['node -e 0']).toFixed(2)}×`);
rmSync(work, { recursive: true, force: true });
