import { chmodSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCommand } from '../../src/cli/run-command.js';
import { fence, makeDocs } from '../support/cli.js';

// Every case is refused before a doc runs: runCommand throws a usage error (exit 2).
async function refusal(args: string[]): Promise<{ code?: string; message: string }> {
  try {
    await runCommand(args);
  } catch (error) {
    return { code: (error as { code?: string }).code, message: (error as Error).message };
  }
  throw new Error(`runbook run ${args.join(' ')} was accepted`);
}

const savedCacheDir = process.env.RUNBOOK_CACHE_DIR;
afterEach(() => {
  if (savedCacheDir === undefined) delete process.env.RUNBOOK_CACHE_DIR;
  else process.env.RUNBOOK_CACHE_DIR = savedCacheDir;
});

describe('runbook run refuses bad input before running anything', () => {
  const doc = () => {
    const dir = makeDocs({ 'doc.md': `# Setup\n\n${fence('ts', 'throw new Error("ran")')}` });
    return { dir, path: join(dir, 'doc.md') };
  };

  it.each([
    [['--timeout', '99999999999'], `--timeout: at most 2147483647 ms (about 24.8 days), the longest timer Node allows, got "99999999999" (string). Run 'runbook run --help'.`],
    [['--doc-timeout', '2147483648'], `--doc-timeout: at most 2147483647 ms (about 24.8 days), the longest timer Node allows, got "2147483648" (string). Run 'runbook run --help'.`],
    [['--jobs', '1000'], `--jobs: at most 256 executor processes, got "1000" (string). Run 'runbook run --help'.`],
    [['--max-doc-size', 'huge'], `--max-doc-size: expected a size from 1 byte to 512MB, e.g. 10MB, 512kB or 1048576 (bytes), got "huge" (string). Run 'runbook run --help'.`],
  ])('%j', async (flags, message) => {
    expect(await refusal([doc().path, ...flags])).toEqual({ code: 'RUNBOOK_USAGE', message });
  });

  it('a doc over the size limit', async () => {
    const { path } = doc();
    expect((await refusal([path, '--max-doc-size', '10'])).message).toBe(
      `A doc is larger than the 10 bytes limit, so runbook does not read it: ${path} (42 bytes). Raise the limit with --max-doc-size (or maxDocSize in runbook.config.ts), e.g. --max-doc-size 50MB, or split the doc.`,
    );
  });

  it('an --env-file that is not there', async () => {
    expect((await refusal([doc().path, '--env-file', 'surely-missing.env'])).message).toBe(`--env-file surely-missing.env: no such file (looked in ${process.cwd()}). Check the path.`);
  });

  it('--only-sections that names no heading with code', async () => {
    expect((await refusal([doc().path, '--only-sections', 'Setup,Nope'])).message).toBe(
      "--only-sections 'Nope' matches no heading with code under it in the 1 doc given. Headings with code under them: Setup.",
    );
  });

  it('an --output-file that cannot be written', async () => {
    const { dir, path } = doc();
    const blocked = join(dir, 'doc.md', 'report.xml');
    expect((await refusal([path, '--reporter', 'junit', '--output-file', blocked])).message).toBe(
      `Cannot write --output-file ${blocked}: a part of the path is a file, not a folder (ENOTDIR). Choose a path you can write; no doc was run.`,
    );
    expect((await refusal([path, '--reporter', 'json', '--output-file', dir])).message).toBe(`Cannot write --output-file ${dir}: it is a folder (EISDIR). Choose a path you can write; no doc was run.`);
  });

  it('a cache folder other users can write', async () => {
    const { dir, path } = doc();
    const shared = join(dir, 'shared-cache');
    mkdirSync(shared);
    chmodSync(shared, 0o777);
    process.env.RUNBOOK_CACHE_DIR = shared;
    expect((await refusal([path])).message).toBe(
      `Cache folder ${shared} can be written by other users (mode 0777). Run chmod 700 ${shared}, or set RUNBOOK_CACHE_DIR to a folder you own (or RUNBOOK_CACHE=off).`,
    );
  });
});
