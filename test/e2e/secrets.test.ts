import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fence, makeDocs, runCli } from '../support/cli.js';

const secret = 'sk-test-5ecret-value-0123456789';

// Secrets from the doc's environment must not reach the terminal or any report file,
// even when the doc prints them or puts them in an error.
describe('secrets in reports', () => {
  it('are masked in pretty, literate, json and junit output', async () => {
    const dir = makeDocs({
      'leaky.md': fence('ts', `console.log('key is', process.env.SERVICE_API_KEY)\nconsole.error(process.env.DB_PASSWORD)\nprocess.env.SERVICE_API_KEY`) + '\n' + fence('ts', `throw new Error('rejected ' + process.env.SERVICE_API_KEY)`),
    });
    const env = { SERVICE_API_KEY: secret, DB_PASSWORD: 'hunter2-hunter2' };
    const [pretty, literate] = await Promise.all([
      runCli(['run', 'leaky.md', '--no-stamp', '--reporter', 'pretty', '--reporter', 'json', '--reporter', 'junit', '--output-file', 'json:out.json', '--output-file', 'junit:out.xml'], { cwd: dir, env }),
      runCli(['run', 'leaky.md', '--no-stamp', '--reporter', 'literate'], { cwd: dir, env }),
    ]);
    expect(pretty.code).toBe(1);
    const outputs = [pretty.stdout, pretty.stderr, literate.stdout, literate.stderr, readFileSync(join(dir, 'out.json'), 'utf8'), readFileSync(join(dir, 'out.xml'), 'utf8')];
    for (const output of outputs) {
      expect(output).not.toContain(secret);
      expect(output).not.toContain('hunter2-hunter2');
    }
    expect(readFileSync(join(dir, 'out.json'), 'utf8')).toContain('key is [REDACTED]');
    expect(literate.stdout).toContain('rejected [REDACTED]');
  });
});
