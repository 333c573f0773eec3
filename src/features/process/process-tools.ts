import * as z from 'zod';
import type { ToolDefinition } from '../../container/feature.js';
import { describeZodIssues } from '../../container/options.js';
import type { ProcessHandle } from './process-handle.js';
import { lazy } from '../../container/lazy.js';

/**
 * The assistant-facing tools of the process manager: schemas written for a
 * model, and handlers that take loose JSON and always answer with plain JSON
 * (an `{ error }` object instead of throwing).
 */
export const processToolSchemas = lazy(() =>
  ({
    spawnProcess: z.object({
      command: z
        .string()
        .min(1)
        .describe('Program to start, e.g. "ping". If `args` is omitted this may be a full shell command line, e.g. "ping -c 5 example.com", run with sh -c.'),
      args: z.array(z.string()).optional().describe('Arguments passed to the program as-is, without a shell. Omit to run `command` through sh -c.'),
      tag: z.string().min(1).optional().describe('A short name to find this process by later, e.g. "web-server". Prefer giving one.'),
      cwd: z.string().optional().describe('Working folder. Defaults to the folder of the document being run.'),
    }),
    runCommand: z.object({
      command: z.string().min(1).describe('A shell command line run with sh -c, e.g. "uptime" or "ls -la | head". Waits until it finishes.'),
      cwd: z.string().optional().describe('Working folder. Defaults to the folder of the document being run.'),
      timeoutMs: z.number().int().positive().optional().describe('Kill the command if it runs longer than this many milliseconds. Default 60000.'),
    }),
    listProcesses: z.object({
      status: z.enum(['running', 'exited', 'crashed', 'killed']).optional().describe('Only list processes with this status. Omit to list all.'),
    }),
    getProcessOutput: z.object({
      id: z.string().optional().describe('The process id returned by spawnProcess (e.g. "proc-1"). Give id or tag.'),
      tag: z.string().optional().describe('The tag given to spawnProcess. If several processes share it, the newest is used.'),
      stream: z.enum(['stdout', 'stderr']).default('stdout').describe('Which output to read. Default stdout; error messages are usually on stderr.'),
    }),
    killProcess: z.object({
      id: z.string().optional().describe('The process id returned by spawnProcess. Give id or tag.'),
      tag: z.string().optional().describe('The tag given to spawnProcess. If several processes share it, the newest is used.'),
      signal: z.enum(['SIGTERM', 'SIGINT', 'SIGKILL', 'SIGHUP']).default('SIGTERM').describe('Signal to send. Default SIGTERM; it is followed by SIGKILL if the process does not stop.'),
    }),
  })
);

export type ProcessToolName = keyof ReturnType<typeof processToolSchemas>;

/** What a process manager tool method takes, e.g. `ProcessToolInput<'runCommand'>` is `{ command: string; cwd?: string; timeoutMs?: number }`. */
export type ProcessToolInput<N extends ProcessToolName> = z.input<ReturnType<typeof processToolSchemas>[N]>;

export const processTools = lazy((): Record<ProcessToolName, ToolDefinition> =>
  ({
    spawnProcess: {
      description: 'Start a long-running process in the background and return at once with its id, tag, pid and status. Its output is kept (first and last lines); read it later with getProcessOutput.',
      schema: processToolSchemas().spawnProcess,
    },
    runCommand: {
      description: 'Run a short shell command, wait for it to finish, and return its exitCode, stdout and stderr. Use spawnProcess instead for anything that keeps running.',
      schema: processToolSchemas().runCommand,
    },
    listProcesses: {
      description: 'List the processes started so far with their id, tag, command, pid, status (running, exited, crashed or killed), exit code and runtime.',
      schema: processToolSchemas().listProcesses,
    },
    getProcessOutput: {
      description: 'Read what a process printed so far, by id or tag: the first and last lines of stdout or stderr, with a count of lines omitted in between.',
      schema: processToolSchemas().getProcessOutput,
    },
    killProcess: {
      description: 'Stop a process and everything it started, by id or tag. Says so if the process had already finished.',
      schema: processToolSchemas().killProcess,
    },
  })
);

export const processSystemPromptGuidance = [
  'You can manage processes on this machine with these tools:',
  '- spawnProcess starts a background process and returns immediately; give it a tag so you can refer to it later.',
  '- runCommand runs a short command to completion and returns its output; never use it for commands that keep running (servers, watchers, ping without -c).',
  '- getProcessOutput reads the latest output of a process by id or tag; only the first and last lines are kept, so check it again for new lines.',
  '- listProcesses shows every process and its status; killProcess stops one (with its child processes).',
  'A status of "crashed" means a non-zero exit code or a failure to start: read its stderr to find out why.',
].join('\n');

/**
 * What a tool method answers instead of throwing, for a model to read and act
 * on: bad input, an unknown id or tag. `isToolError()` tells it from a result.
 */
export interface ToolError {
  error: string;
}

/** Parses tool input with the tool's schema, or returns an error object a model can act on. */
export function parseToolInput<N extends ProcessToolName>(name: N, input: unknown): z.output<ReturnType<typeof processToolSchemas>[N]> | ToolError {
  const result = processToolSchemas()[name].safeParse(input ?? {});
  if (result.success) return result.data as z.output<ReturnType<typeof processToolSchemas>[N]>;
  return { error: `Invalid input for ${name}: ${describeZodIssues(result.error, input ?? {}).join('; ')}.` };
}

/**
 * Whether a tool method's result is a ToolError: an object holding only an
 * `error` message. (A process summary has an `error` field too: why the
 * process could not start.)
 */
export function isToolError(value: unknown): value is ToolError {
  return typeof value === 'object' && value !== null && typeof (value as { error?: unknown }).error === 'string' && Object.keys(value).length === 1;
}

/** Finds the process a tool call means, or explains which ids/tags exist. */
export function resolveProcess(handles: ProcessHandle[], ref: { id?: string; tag?: string }): ProcessHandle | ToolError {
  if (ref.id !== undefined) {
    const found = handles.find((handle) => handle.id === ref.id);
    if (found) return found;
    const known = handles.map((handle) => handle.id);
    return { error: `No process with id '${ref.id}'. Known ids: ${known.join(', ') || '(none yet: start one with spawnProcess)'}.` };
  }
  if (ref.tag !== undefined) {
    for (let index = handles.length - 1; index >= 0; index--) {
      if (handles[index].tag === ref.tag) return handles[index];
    }
    const known = [...new Set(handles.flatMap((handle) => (handle.tag ? [handle.tag] : [])))];
    return { error: `No process with tag '${ref.tag}'. Known tags: ${known.join(', ') || '(none)'}.` };
  }
  return { error: 'Give either id or tag to say which process you mean (listProcesses shows both).' };
}

/** What the tool handlers need from the process manager. */
export interface ProcessToolHost {
  spawn(command: string, args: string[], options: { tag?: string; cwd?: string }): ProcessHandle;
  list(): ProcessHandle[];
  readonly commandTimeoutMs: number;
}

// Long enough to see a command that fails at once (not found, bad flag), short
// enough not to slow a model down.
const spawnSettleMs = 150;

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export async function spawnProcessTool(host: ProcessToolHost, input: unknown) {
  const parsed = parseToolInput('spawnProcess', input);
  if (isToolError(parsed)) return parsed;
  const [command, args] = parsed.args ? [parsed.command, parsed.args] : ['sh', ['-c', parsed.command]];
  const handle = host.spawn(command, args, { tag: parsed.tag, cwd: parsed.cwd });
  await Promise.race([handle.await(), delay(spawnSettleMs)]);
  const summary = handle.summary();
  if (handle.status === 'running') return summary;
  // It ended at once: show why, so the model does not have to ask.
  return { ...summary, stdout: handle.stdout.text(), stderr: handle.stderr.text() };
}

export async function runCommandTool(host: ProcessToolHost, input: unknown) {
  const parsed = parseToolInput('runCommand', input);
  if (isToolError(parsed)) return parsed;
  const timeoutMs = parsed.timeoutMs ?? host.commandTimeoutMs;
  const handle = host.spawn('sh', ['-c', parsed.command], { cwd: parsed.cwd });
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    handle.kill('SIGTERM');
  }, timeoutMs);
  const exitCode = await handle.await();
  clearTimeout(timer);
  return {
    id: handle.id,
    command: parsed.command,
    exitCode,
    status: handle.status,
    stdout: handle.stdout.text(),
    stderr: handle.stderr.text(),
    durationMs: handle.summary().runtimeMs,
    ...(timedOut ? { timedOut: true, note: `Killed after ${timeoutMs} ms; pass a larger timeoutMs or use spawnProcess for long-running commands.` } : {}),
  };
}

export function listProcessesTool(host: ProcessToolHost, input: unknown) {
  const parsed = parseToolInput('listProcesses', input);
  if (isToolError(parsed)) return parsed;
  const handles = host.list().filter((handle) => !parsed.status || handle.status === parsed.status);
  return { processes: handles.map((handle) => handle.summary()) };
}

export function getProcessOutputTool(host: ProcessToolHost, input: unknown) {
  const parsed = parseToolInput('getProcessOutput', input);
  if (isToolError(parsed)) return parsed;
  const handle = resolveProcess(host.list(), parsed);
  if (isToolError(handle)) return handle;
  const buffer = handle[parsed.stream];
  return {
    id: handle.id,
    tag: handle.tag ?? null,
    status: handle.status,
    exitCode: handle.exitCode,
    stream: parsed.stream,
    totalLines: buffer.totalLines,
    omittedLines: buffer.droppedLines,
    output: buffer.text(),
  };
}

export function killProcessTool(host: ProcessToolHost, input: unknown) {
  const parsed = parseToolInput('killProcess', input);
  if (isToolError(parsed)) return parsed;
  const handle = resolveProcess(host.list(), parsed);
  if (isToolError(handle)) return handle;
  const before = handle.status;
  const exitCode = handle.exitCode;
  if (!handle.kill(parsed.signal)) {
    const how = before === 'killed' ? 'was already killed' : `already ${before}${exitCode === null ? '' : ` with exit code ${exitCode}`}`;
    return { id: handle.id, tag: handle.tag ?? null, killed: false, status: handle.status, message: `Process ${handle.id} ${how}; nothing to kill.` };
  }
  return { id: handle.id, tag: handle.tag ?? null, killed: true, status: handle.status, message: `Sent ${parsed.signal} to process ${handle.id} and its children.` };
}
