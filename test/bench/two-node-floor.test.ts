import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// The bench's floor for a supervisor and an executor: started through its
// shebang as the bench starts it, it must fork its child, hear from it and end.
const script = fileURLToPath(new URL('../../bench/compare/two-node-floor.cjs', import.meta.url));

describe('bench/compare/two-node-floor.cjs', () => {
  it('forks a second Node, hears it is ready, and ends cleanly with nothing printed', () => {
    const run = spawnSync(script, { encoding: 'utf8', timeout: 20_000 });
    expect(run.error).toBeUndefined();
    expect(run.status).toBe(0);
    expect(run.stdout + run.stderr).toBe('');
  });

  it('gives NODE_EXTRA_CA_CERTS back to the child it parked it from', () => {
    // A file that is not there: Node warns as it starts, in each process that reads the variable.
    const run = spawnSync(script, { encoding: 'utf8', timeout: 20_000, env: { ...process.env, NODE_EXTRA_CA_CERTS: '/nonexistent/runbook-certs.pem' } });
    expect(run.status).toBe(0);
    expect(run.stderr.match(/Ignoring extra certs from `\/nonexistent\/runbook-certs.pem`/g)).toHaveLength(1);
  });
});
