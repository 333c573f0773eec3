import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { fence, makeDocs, runCli, type CliResult } from '../support/cli.js';
import { startScriptedOpenAI } from '../support/scripted-openai-server.js';

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

  it('are masked in what --update writes into the doc', async () => {
    const dir = makeDocs({ 'update.md': `# Update\n\n${fence('ts', "console.log('password', process.env.DB_PASSWORD)")}\n\`\`\`text output\nold\n\`\`\`\n` });
    const result = await runCli(['run', 'update.md', '--no-stamp', '--update'], { cwd: dir, env: { DB_PASSWORD: 'hunter2' } });
    expect(result.code).toBe(0);
    const written = readFileSync(join(dir, 'update.md'), 'utf8');
    expect(written).toContain('```text output\npassword [REDACTED]\n```');
    expect(written).not.toContain('hunter2');
    // The masked fence matches the next run's (masked) output.
    const again = await runCli(['run', 'update.md', '--no-stamp'], { cwd: dir, env: { DB_PASSWORD: 'hunter2' } });
    expect(again.code).toBe(0);
  });
});

// Short secrets, every way a doc can print them, every reporter and the recording.
describe('a short password and a long API key', () => {
  const password = 'hunter2';
  const apiKey = 'sk-proj-Q3vL8mZ2xR7nT4wK9pB6yH1cF5dJ0gS2aE8uV3iO7lN4qM6t';
  const doc =
    '---\nshell: true\n---\n# Leaks\n\n' +
    fence('ts', "console.log('log', process.env.DB_PASSWORD, process.env.OPENAI_API_KEY)\nprocess.stdout.write(`write ${process.env.DB_PASSWORD} ${process.env.OPENAI_API_KEY}\\n`)") +
    '\n' +
    // The second printf sends the password in two chunks, 0.2 s apart.
    fence('sh', `printf 'sh %s %s\\n' "$DB_PASSWORD" "$OPENAI_API_KEY"\nprintf 'split hun'; sleep 0.2; printf 'ter2 done\\n'`) +
    '\n' +
    fence('ts', "const chat = container.feature('conversation', { model: 'gpt-4.1-mini' })\nconsole.log(await chat.ask('remember ' + process.env.DB_PASSWORD))") +
    '\n' +
    fence('ts', "throw new Error('denied for ' + process.env.DB_PASSWORD + ' with ' + process.env.OPENAI_API_KEY)");

  // Two runs: every reporter but literate (recording the LLM exchange), and literate (live output).
  let outputs: { all: CliResult; literate: CliResult; files: Record<'json' | 'junit' | 'tap' | 'recording', string>; authorizations: (string | undefined)[] };
  beforeAll(async () => {
    const dir = makeDocs({ 'leak.md': doc });
    const server = await startScriptedOpenAI({ apiKey, replies: [{ text: `noted: ${password}` }, { text: `noted: ${password}` }] });
    const env = { DB_PASSWORD: password, OPENAI_API_KEY: apiKey, OPENAI_BASE_URL: server.baseURL, CI: undefined };
    try {
      const reporters = ['pretty', 'github', 'json', 'junit', 'tap'].flatMap((name) => ['--reporter', name]);
      const files = ['--output-file', 'json:out.json', '--output-file', 'junit:out.xml', '--output-file', 'tap:out.tap'];
      const [all, literate] = await Promise.all([
        runCli(['run', 'leak.md', '--no-stamp', '--llm', 'record', ...reporters, ...files], { cwd: dir, env }),
        runCli(['run', 'leak.md', '--no-stamp', '--llm', 'live', '--reporter', 'literate'], { cwd: dir, env }),
      ]);
      const read = (name: string) => readFileSync(join(dir, name), 'utf8');
      outputs = { all, literate, files: { json: read('out.json'), junit: read('out.xml'), tap: read('out.tap'), recording: read('__recordings__/leak.llm.json') }, authorizations: server.requests.map((request) => request.authorization) };
    } finally {
      await server.close();
    }
  }, 60_000);

  it('are masked in every reporter, live and final, and in the recording', () => {
    const { all, literate, files } = outputs;
    expect([all.code, literate.code]).toEqual([1, 1]);
    expect(outputs.authorizations).toEqual([`Bearer ${apiKey}`, `Bearer ${apiKey}`]); // the doc really used the key
    for (const output of [all.stdout, all.stderr, literate.stdout, literate.stderr, ...Object.values(files)]) {
      expect(output).not.toContain(password);
      expect(output).not.toContain(apiKey);
    }
    for (const shown of ['log [REDACTED] [REDACTED]', 'sh [REDACTED] [REDACTED]', 'split [REDACTED] done', 'noted: [REDACTED]', 'denied for [REDACTED] with [REDACTED]']) {
      expect(files.json).toContain(shown);
    }
    expect(literate.stdout).toContain('split [REDACTED] done'); // shown live, the password split across two chunks
    expect(all.stdout).toContain('::error file=leak.md');
    expect(files.junit).toContain('denied for [REDACTED] with [REDACTED]');
    expect(files.tap).toContain('denied for [REDACTED] with [REDACTED]');
    expect(files.recording).toContain('remember [REDACTED]');
  });

  // The executor's stdout is a pipe the supervisor reads and masks: a raw write cannot go around it.
  it('are masked in what a doc writes to process.stdout', () => {
    expect(outputs.literate.stdout).toContain('│ write [REDACTED] [REDACTED]');
    for (const result of [outputs.all, outputs.literate]) expect(result.stdout).not.toContain(password);
  });
});
