import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { docResult, fence, makeDocs, repoRoot, runJson } from '../support/cli.js';

// bin/runbook.js's shebang starts the supervisor without NODE_EXTRA_CA_CERTS
// (Node 20 parses that file at every start) and puts it back for the executors.
// A doc must still trust those certificates and see the variable as the user
// set it. The server's certificate is self-signed, so only the extra CA file
// makes it trusted.
const tls = join(repoRoot, 'test', 'fixtures', 'tls');
const caFile = join(tls, 'cert.pem');

let server: Server;
let url: string;

beforeAll(async () => {
  server = createServer({ key: readFileSync(join(tls, 'key.pem')), cert: readFileSync(caFile) }, (_, response) => response.end('trusted'));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `https://127.0.0.1:${(server.address() as AddressInfo).port}/`;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const doc = [
  fence(
    'ts',
    [
      "import https from 'node:https'",
      'const answer = await new Promise<string>((resolve) => {',
      "  https.get(process.env.TEST_URL!, (response) => { let body = ''; response.on('data', (chunk) => (body += chunk)); response.on('end', () => resolve(body)) })",
      "    .on('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message))",
      '})',
      'console.log(answer)',
      'console.log(process.env.NODE_EXTRA_CA_CERTS, process.env.RUNBOOK_PARKED_EXTRA_CA_CERTS)',
    ].join('\n'),
  ),
  fence('ts', "import { readFileSync } from 'node:fs'\nconsole.log(readFileSync(`/proc/${process.ppid}/environ`, 'utf8').split('\\0').filter((entry) => entry.startsWith('NODE_EXTRA_CA_CERTS=')).length)"),
].join('\n');

async function run(viaShebang: boolean, extraCa: string | undefined) {
  const dir = makeDocs({ 'doc.md': doc });
  const result = await runJson(dir, ['doc.md'], ['--no-stamp'], { viaShebang, env: { NODE_EXTRA_CA_CERTS: extraCa, TEST_URL: url } });
  const blocks = docResult(result.report, 'doc.md').blocks;
  expect(blocks.map((block) => block.status), result.stderr).toEqual(['passed', 'passed']);
  return blocks.map((block) => block.stdout);
}

describe('NODE_EXTRA_CA_CERTS', () => {
  it('started as the installed command: the supervisor starts without it, the doc trusts the file and sees the variable', async () => {
    const [https, supervisor] = await run(true, caFile);
    expect(https).toBe(`trusted\n${caFile} undefined\n`);
    expect(supervisor).toBe('0\n');
  });

  it('started as `node bin/runbook.js`: nothing is parked, and the doc trusts the file all the same', async () => {
    const [https, supervisor] = await run(false, caFile);
    expect(https).toBe(`trusted\n${caFile} undefined\n`);
    expect(supervisor).toBe('1\n');
  });

  it('unset: the doc does not trust the server and sees no variable', async () => {
    const [https] = await run(true, undefined);
    expect(https).toBe('DEPTH_ZERO_SELF_SIGNED_CERT\nundefined undefined\n');
  });
});
