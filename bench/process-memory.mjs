// Shows that a child printing a gigabyte costs the process manager almost no
// memory: output buffers keep only head and tail lines. Prints peak RSS.
//   node bench/process-memory.mjs [bytes=1000000000]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const bytes = Number(process.argv[2] ?? 1_000_000_000);
const mb = (n) => `${(n / 1024 / 1024).toFixed(1)} MB`;

// Bundle the feature from source so the bench does not depend on a fresh dist/.
const folder = mkdtempSync(join(tmpdir(), 'runbook-bench-'));
const bundle = join(folder, 'container.mjs');
await build({
  entryPoints: [fileURLToPath(new URL('../src/features/create-container.ts', import.meta.url))],
  outfile: bundle,
  bundle: true,
  platform: 'node',
  format: 'esm',
  logLevel: 'silent',
});
const { createContainer } = await import(bundle);

const container = createContainer();
const pm = container.feature('processManager');
globalThis.gc?.();
const baseline = process.memoryUsage().rss;
let peak = baseline;
const sample = () => (peak = Math.max(peak, process.memoryUsage().rss));
const sampler = setInterval(sample, 20);

const line = 'the quick brown fox jumps over the lazy dog, again and again, to fill a gigabyte of output';
const started = performance.now();
const handle = pm.spawn('sh', ['-c', `yes '${line}' | head -c ${bytes}`]);
const code = await handle.await();
const seconds = (performance.now() - started) / 1000;
sample();
clearInterval(sampler);

const out = handle.stdout;
console.log(`child printed ${mb(out.totalBytes)} in ${out.totalLines} lines (exit ${code}) in ${seconds.toFixed(1)} s, ${mb(out.totalBytes / seconds)}/s`);
console.log(`kept ${out.head.length} head + ${out.tail.length} tail lines, dropped ${out.droppedLines}`);
console.log(`rss before ${mb(baseline)}, peak ${mb(peak)}, growth ${mb(peak - baseline)}`);
await container.dispose();
rmSync(folder, { recursive: true, force: true });
if (out.totalBytes !== bytes || code !== 0) {
  console.error(`expected ${bytes} bytes and exit 0, got ${out.totalBytes} bytes and exit ${code}`);
  process.exitCode = 1;
}
