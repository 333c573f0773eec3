import { realpathSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { Container } from '../../../src/container/container.js';
import { createContainer } from '../../../src/features/create-container.js';
import { ProcessManager } from '../../../src/features/process/process-manager.js';
import { isToolError } from '../../../src/features/process/process-tools.js';

let container: Container;
let pm: ProcessManager;
const cwd = realpathSync(tmpdir());

beforeEach(() => {
  container = createContainer({ cwd });
  pm = container.feature<ProcessManager>('processManager');
});

afterEach(async () => {
  await container.dispose();
});

// Tool results must survive a trip through JSON unchanged (they go to a model).
const roundTrip = (value: unknown) => JSON.parse(JSON.stringify(value));

describe('processManager tool definitions', () => {
  it('declares the five tools, each with a model-facing description and a method of the same name', () => {
    expect(Object.keys(ProcessManager.tools)).toEqual(['spawnProcess', 'runCommand', 'listProcesses', 'getProcessOutput', 'killProcess']);
    for (const [name, tool] of Object.entries(ProcessManager.tools)) {
      expect(tool.description.length, name).toBeGreaterThan(40);
      expect(tool.schema).toBeInstanceOf(z.ZodObject);
      expect(typeof (pm as unknown as Record<string, unknown>)[name], name).toBe('function');
      for (const [field, schema] of Object.entries(tool.schema.shape)) {
        expect((schema as z.ZodType).description, `${name}.${field}`).toBeTruthy();
      }
    }
    expect(ProcessManager.systemPromptGuidance).toContain('spawnProcess');
  });

  it('schemas convert to JSON Schema for a model', () => {
    const schema = z.toJSONSchema(ProcessManager.tools.getProcessOutput.schema);
    expect(schema).toMatchObject({ type: 'object', properties: { stream: { enum: ['stdout', 'stderr'], default: 'stdout' } } });
  });
});

describe('processManager tools', () => {
  it('spawnProcess starts a shell command line in the background and returns plain JSON', async () => {
    const result = await pm.spawnProcess({ command: 'echo started; sleep 30', tag: 'sleeper' });
    expect(roundTrip(result)).toEqual(result);
    expect(result).toMatchObject({ id: 'proc-1', tag: 'sleeper', command: 'sh', args: ['-c', 'echo started; sleep 30'], status: 'running', exitCode: null });
    expect(pm.getByTag('sleeper')!.stdout.head).toEqual(['started']);
  });

  it('spawnProcess runs a program with args without a shell, and shows why it crashed', async () => {
    const listed = await pm.spawnProcess({ command: 'ls', args: ['/definitely-missing-dir'] });
    expect(listed).toMatchObject({ id: 'proc-1', command: 'ls', args: ['/definitely-missing-dir'] });
    // Under load it may take longer than the tool's short settle time to fail, so wait here.
    await pm.get('proc-1')!.await();
    expect(pm.listProcesses({ status: 'crashed' })).toMatchObject({ processes: [{ id: 'proc-1', exitCode: 2 }] });
    expect(pm.getProcessOutput({ id: 'proc-1', stream: 'stderr' })).toMatchObject({ output: expect.stringContaining('/definitely-missing-dir') });
    const missing = await pm.spawnProcess({ command: 'no-such-program', args: [] });
    expect(missing).toMatchObject({
      status: 'crashed',
      pid: null,
      error: 'spawn no-such-program ENOENT (command not found: check the name and PATH)',
      stderr: 'spawn no-such-program ENOENT (command not found: check the name and PATH)',
    });
    // A summary's `error` says why the process did not start: the summary is still a result, not a ToolError.
    expect(isToolError(missing)).toBe(false);
    expect(isToolError(pm.killProcess({ id: 'proc-9' }))).toBe(true);
  });

  it('runCommand waits and returns stdout, stderr and exitCode', async () => {
    const result = await pm.runCommand({ command: 'echo out; echo err >&2; exit 4' });
    expect(roundTrip(result)).toEqual(result);
    expect(result).toMatchObject({ command: 'echo out; echo err >&2; exit 4', exitCode: 4, status: 'crashed', stdout: 'out', stderr: 'err' });
    expect(await pm.runCommand({ command: 'pwd' })).toMatchObject({ exitCode: 0, stdout: cwd });
  });

  it('runCommand kills a command that outlives its timeout', async () => {
    const started = Date.now();
    const result = await pm.runCommand({ command: 'sleep 30', timeoutMs: 200 });
    expect(Date.now() - started).toBeLessThan(5000);
    expect(result).toMatchObject({
      exitCode: null,
      status: 'killed',
      timedOut: true,
      note: 'Killed after 200 ms; pass a larger timeoutMs or use spawnProcess for long-running commands.',
    });
  });

  it('listProcesses lists every process, optionally by status', async () => {
    await pm.runCommand({ command: 'true' });
    await pm.spawnProcess({ command: 'sleep 30', tag: 'nap' });
    const all = pm.listProcesses() as { processes: { id: string; status: string }[] };
    expect(roundTrip(all)).toEqual(all);
    expect(all.processes.map((p) => `${p.id} ${p.status}`)).toEqual(['proc-1 exited', 'proc-2 running']);
    const running = pm.listProcesses({ status: 'running' });
    expect(running).toMatchObject({ processes: [{ id: 'proc-2', tag: 'nap' }] });
  });

  it('getProcessOutput reads stdout or stderr by id or tag, head and tail with the omission', async () => {
    const small = container.feature<ProcessManager>('processManager', { headLines: 2, tailLines: 2 });
    await small.runCommand({ command: 'seq 10; echo problem >&2' });
    const byId = small.getProcessOutput({ id: 'proc-1' });
    expect(byId).toEqual({ id: 'proc-1', tag: null, status: 'exited', exitCode: 0, stream: 'stdout', totalLines: 10, omittedLines: 6, output: '1\n2\n… 6 lines omitted …\n9\n10' });
    await small.spawnProcess({ command: 'echo tagged >&2', tag: 'noisy' });
    await small.getByTag('noisy')!.await();
    expect(small.getProcessOutput({ tag: 'noisy', stream: 'stderr' })).toMatchObject({ id: 'proc-2', tag: 'noisy', output: 'tagged' });
  });

  it('getProcessOutput and killProcess explain unknown ids and tags', async () => {
    expect(pm.getProcessOutput({ tag: 'x' })).toEqual({ error: "No process with tag 'x'. Known tags: (none)." });
    await pm.spawnProcess({ command: 'true', tag: 'web' });
    await pm.spawnProcess({ command: 'true', tag: 'db' });
    expect(pm.getProcessOutput({ tag: 'x' })).toEqual({ error: "No process with tag 'x'. Known tags: web, db." });
    expect(pm.killProcess({ id: 'proc-7' })).toEqual({ error: "No process with id 'proc-7'. Known ids: proc-1, proc-2." });
    expect(pm.killProcess({})).toEqual({ error: 'Give either id or tag to say which process you mean (listProcesses shows both).' });
  });

  it('tools answer invalid input with an error object', async () => {
    // The methods' input is typed by their schemas; JavaScript (and a model) can still pass anything.
    // @ts-expect-error command is a string
    expect(await pm.runCommand({ command: 42 })).toEqual({ error: "Invalid input for runCommand: 'command' expected string, got 42 (number)." });
    // @ts-expect-error stream is 'stdout' or 'stderr'
    expect(pm.getProcessOutput({ id: 'proc-1', stream: 'stdin' })).toEqual({
      error: expect.stringMatching(/^Invalid input for getProcessOutput: 'stream' /),
    });
  });

  it('killProcess stops a running process and says so when it had already finished', async () => {
    await pm.spawnProcess({ command: 'sleep 30', tag: 'nap' });
    expect(pm.killProcess({ tag: 'nap' })).toEqual({ id: 'proc-1', tag: 'nap', killed: true, status: 'killed', message: 'Sent SIGTERM to process proc-1 and its children.' });
    await pm.get('proc-1')!.await();
    expect(pm.killProcess({ tag: 'nap' })).toEqual({ id: 'proc-1', tag: 'nap', killed: false, status: 'killed', message: 'Process proc-1 was already killed; nothing to kill.' });
    await pm.runCommand({ command: 'exit 0' });
    expect(pm.killProcess({ id: 'proc-2' })).toMatchObject({ killed: false, message: 'Process proc-2 already exited with exit code 0; nothing to kill.' });
  });
});
