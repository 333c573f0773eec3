import { beforeAll, describe, expect, it } from 'vitest';
import { fence, makeDocs, runCli, runJson } from '../support/cli.js';

// --shard, --tag and --filter through the real CLI: the doc list a run reports
// is exactly the selection, and shards of a glob cover it once.

const ok = fence('ts', 'const ok = 1');
const corpus: Record<string, string> = {
  'docs/alpha.md': `---\ntags: [slow]\n---\n# Alpha\n\n${ok}`,
  'docs/beta.md': `# Beta\n\n${ok}`,
  'docs/api/server.md': `---\ntags: [network, slow]\n---\n# Server\n\n${ok}`,
  'docs/api/client.md': `---\ntags: network\n---\n# Client\n\n${ok}`,
  'guide/intro.md': `# Intro\n\n${ok}`,
  'guide/advanced.md': `---\ntags: [ui]\n---\n# Advanced\n\n${ok}`,
  'guide/zeta.md': `# Zeta\n\n${ok}`,
};
const all = Object.keys(corpus).sort();

describe('selection (real CLI)', () => {
  let dir: string;
  beforeAll(() => {
    dir = makeDocs(corpus);
  });

  const ran = async (args: string[]) => {
    const { code, report, stderr } = await runJson(dir, ['**/*.md'], ['--jobs', '1', '--no-stamp', ...args]);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(report.docs.every((doc) => doc.status === 'passed')).toBe(true);
    return report.docs.map((doc) => doc.path);
  };

  it.each([1, 2, 3, 4])('--shard i/%i for every i: together every doc exactly once', async (count) => {
    const shards = await Promise.all(Array.from({ length: count }, (_, i) => ran(['--shard', `${i + 1}/${count}`])));
    const union = shards.flat();
    expect([...union].sort()).toEqual(all);
    expect(new Set(union).size).toBe(union.length);
    for (const shard of shards) expect(shard.length).toBeGreaterThanOrEqual(Math.floor(all.length / count));
  });

  it('the same shard twice holds the same docs', async () => {
    const [first, second] = await Promise.all([ran(['--shard', '2/3']), ran(['--shard', '2/3'])]);
    expect(first).toEqual(second);
    expect(first).toEqual(['docs/api/client.md', 'guide/advanced.md']);
  });

  it('a shard with nothing in it is an empty, passing run', async () => {
    const { code, report } = await runJson(dir, ['guide/intro.md'], ['--shard', '2/2', '--no-stamp']);
    expect(code).toBe(0);
    expect(report.docs).toEqual([]);
  });

  it.each([
    [['--tag', 'slow'], ['docs/alpha.md', 'docs/api/server.md']],
    [['--tag', 'network'], ['docs/api/client.md', 'docs/api/server.md']],
    [['--tag', 'ui', '--tag', 'network'], ['docs/api/client.md', 'docs/api/server.md', 'guide/advanced.md']],
    [['--filter', 'guide/'], ['guide/advanced.md', 'guide/intro.md', 'guide/zeta.md']],
    [['--filter', 'api/'], ['docs/api/client.md', 'docs/api/server.md']],
    [['--filter', 'docs/', '--tag', 'slow'], ['docs/alpha.md', 'docs/api/server.md']],
    [['--filter', 'docs/', '--shard', '1/2'], ['docs/alpha.md', 'docs/api/server.md']],
  ])('%j runs %j', async (args, expected) => {
    expect(await ran(args)).toEqual(expected);
  });

  it.each([
    ['0/3', 'runbook: --shard: expected i/n with 1 ≤ i ≤ n, e.g. 2/4, got "0/3" (string). Run \'runbook run --help\'.\n'],
    ['4/3', 'runbook: --shard: expected i/n with 1 ≤ i ≤ n, e.g. 2/4, got "4/3" (string). Run \'runbook run --help\'.\n'],
    ['2', 'runbook: --shard: expected i/n, e.g. 2/4, got "2" (string). Run \'runbook run --help\'.\n'],
  ])('--shard %s is a usage error', async (shard, message) => {
    const { code, stdout, stderr } = await runCli(['run', 'guide/intro.md', '--shard', shard, '--no-stamp'], { cwd: dir });
    expect({ code, stdout, stderr }).toEqual({ code: 2, stdout: '', stderr: message });
  });
});

describe('a selection that matches nothing', () => {
  it('is a usage error naming the filter, not a silent pass', async () => {
    const dir = makeDocs({ 'a.md': '---\ntags: [one]\n---\n```ts\n1\n```\n' });
    const byTag = await runCli(['run', 'a.md', '--tag', 'two', '--no-stamp'], { cwd: dir });
    expect(byTag.code).toBe(2);
    expect(byTag.stderr).toBe("runbook: No doc matched --tag two among the 1 doc given. Check the tags in their frontmatter and the paths ('runbook list' shows both).\n");
    const byFilter = await runCli(['run', 'a.md', '--filter', 'zzz', '--no-stamp'], { cwd: dir });
    expect(byFilter.code).toBe(2);
    expect(byFilter.stderr).toContain('No doc matched --filter zzz');
  });
});
