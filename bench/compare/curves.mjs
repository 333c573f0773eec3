// How runbook's cost grows: one doc of 10 → 1000 blocks, and 10 → 400 docs of
// 10 blocks. A straight line (high r², steady cost per added unit) means no
// hidden quadratic step; the intercept is the fixed cost of a run.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { docText } from './corpus.mjs';
import { formatMs, linearFit, median, table } from './report.mjs';

const blockSizes = [10, 100, 250, 500, 1000];
const docSizes = [10, 50, 100, 200, 400];

function writeDocs(dir, docs, blocks) {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const files = [];
  for (let doc = 1; doc <= docs; doc++) {
    const file = join(dir, `doc-${String(doc).padStart(3, '0')}.md`);
    writeFileSync(file, docText('runbook', doc, blocks));
    files.push(file);
  }
  return files;
}

async function curve({ label, unit, sizes, filesFor, variants, node, cli, rounds, measure }) {
  const inputs = new Map(sizes.map((size) => [size, filesFor(size)]));
  const walls = new Map(variants.map((v) => [v.name, new Map(sizes.map((size) => [size, []]))]));
  // Round 0 fills the transpile cache and checks every size passes.
  for (let round = 0; round <= rounds; round++) {
    const order = round % 2 ? [...sizes].reverse() : sizes;
    for (const size of order) {
      for (const variant of variants) {
        const result = await measure(node, [cli, 'run', ...inputs.get(size), '--no-stamp'], { env: variant.env });
        if (result.code !== 0) throw new Error(`${label} at ${size}: exit ${result.code}: ${(result.stderr || result.stdout).trim().split('\n').slice(-3).join(' | ')}`);
        if (round > 0) walls.get(variant.name).get(size).push(result.wallMs);
      }
    }
  }
  console.log(`\n${label} (median of ${rounds} rounds):`);
  const header = [unit, ...variants.flatMap((v) => [v.name, 'per ' + unit.replace(/s$/, ''), 'marginal'])];
  const rows = sizes.map((size, i) => [
    String(size),
    ...variants.flatMap((v) => {
      const ms = median(walls.get(v.name).get(size));
      const previous = i ? median(walls.get(v.name).get(sizes[i - 1])) : NaN;
      const marginal = i ? (ms - previous) / (size - sizes[i - 1]) : NaN;
      return [formatMs(ms), `${(ms / size).toFixed(2)} ms`, Number.isFinite(marginal) ? `${marginal.toFixed(2)} ms` : ''];
    }),
  ]);
  console.log(table([header, ...rows]));
  for (const v of variants) {
    const fit = linearFit(sizes.map((size) => [size, median(walls.get(v.name).get(size))]));
    console.log(`  ${v.name}: wall ≈ ${fit.intercept.toFixed(0)} ms + ${fit.slope.toFixed(2)} ms × ${unit.replace(/s$/, '')}s, r² = ${fit.r2.toFixed(4)}`);
  }
}

/** Prints both curves. `env` points runbook at the bench's own transpile cache. */
export async function runCurves({ node, cli, dir, env, rounds, measure }) {
  const warm = { name: 'cache warm', env };
  await curve({
    label: 'Per-block cost: one doc of N blocks',
    unit: 'blocks',
    sizes: blockSizes,
    filesFor: (size) => writeDocs(join(dir, `blocks-${size}`), 1, size),
    variants: [warm, { name: 'cache off', env: { RUNBOOK_CACHE: 'off' } }],
    node,
    cli,
    rounds,
    measure,
  });
  await curve({
    label: 'Per-doc cost: N docs of 10 blocks (default --jobs)',
    unit: 'docs',
    sizes: docSizes,
    filesFor: (size) => writeDocs(join(dir, `docs-${size}`), size, 10),
    variants: [warm],
    node,
    cli,
    rounds,
    measure,
  });
}
