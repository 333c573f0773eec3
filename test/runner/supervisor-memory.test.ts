import type { ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import type { Readable } from 'node:stream';
import { getHeapSnapshot } from 'node:v8';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runDocs } from '../../src/runner/run.js';
import { prestartExecutor } from '../../src/runner/schedule/executor-pool.js';
import { runOptionsSchema } from '../../src/runner/run-options.js';
import { fence, makeDocs } from '../support/cli.js';

// How many objects of a class a heap snapshot holds (taking one collects garbage first).
async function instancesOf(heap: Readable, className: string): Promise<number> {
  let json = '';
  for await (const chunk of heap) json += chunk;
  const snapshot = JSON.parse(json) as { snapshot: { meta: { node_fields: string[]; node_types: [string[]] } }; nodes: number[]; strings: string[] };
  const fields = snapshot.snapshot.meta.node_fields;
  const [typeAt, nameAt] = [fields.indexOf('type'), fields.indexOf('name')];
  const objectType = snapshot.snapshot.meta.node_types[0].indexOf('object');
  let count = 0;
  for (let i = 0; i < snapshot.nodes.length; i += fields.length) {
    if (snapshot.nodes[i + typeAt] === objectType && snapshot.strings[snapshot.nodes[i + nameAt]!] === className) count++;
  }
  return count;
}

describe('the supervisor over a long run', () => {
  // Each doc's attempt used to hang on its executor's exit promise until the
  // executor ended: a reused executor kept every doc it had run.
  it('keeps no finished doc’s attempt while its executor runs on', async () => {
    const names = Array.from({ length: 25 }, (_, i) => `doc-${String(i + 1).padStart(2, '0')}.md`);
    const dir = makeDocs(Object.fromEntries(names.map((name) => [name, `# ${name}\n\n${fence('ts', 'const x = 1')}`])));
    let heap: Readable | undefined;
    // Taken as the last doc ends, while the executor that ran all of them still lives.
    const onDocEnd = ({ path }: { path: string }) => void (path.endsWith(names.at(-1)!) && (heap = getHeapSnapshot()));
    const run = await runDocs(names.map((name) => join(dir, name)), runOptionsSchema.parse({ stamp: false }), { onDocEnd }, { jobs: 1 });
    expect(run.passed).toBe(25);
    expect(heap).toBeDefined();
    expect(await instancesOf(heap!, 'DocAttempt')).toBeLessThanOrEqual(2);
  }, 60_000);

  // bin/runbook.js forks the first executor before runbook loads, and a
  // listener noted what it said until the pool adopted it: the listener stayed,
  // and kept every message of that executor (a thousand docs' texts and block
  // results in the supervisor after 2,000 docs).
  it('keeps nothing the executor started before runbook loaded says once it is adopted', async () => {
    const { startExecutorEarly } = createRequire(import.meta.url)('../../dist/load-bundle.cjs') as { startExecutorEarly(): void };
    const argv = process.argv;
    process.argv = [argv[0]!, 'runbook', 'run'];
    try {
      startExecutorEarly();
    } finally {
      process.argv = argv;
    }
    const { child } = (globalThis as Record<symbol, { child: ChildProcess } | undefined>)[Symbol.for('runbook.earlyExecutor')]!;
    prestartExecutor();
    const names = Array.from({ length: 10 }, (_, i) => `doc-${i}.md`);
    const dir = makeDocs(Object.fromEntries(names.map((name) => [name, fence('ts', 'const x = 1')])));
    const run = await runDocs(names.map((name) => join(dir, name)), runOptionsSchema.parse({ stamp: false }), {}, { jobs: 1 });
    expect(run.passed).toBe(10);
    // The adopting Executor's own listener, and nothing else.
    expect(child.listenerCount('message')).toBe(1);
  }, 60_000);
});
