import { beforeAll, describe, expect, it } from 'vitest';
import type { RunResult } from '../../src/runner/results.js';
import { docResult, fence, makeDocs, runJson, type CliResult } from '../support/cli.js';

// An ask that is rejected later (an error answer, a timeout) is reported at the
// doc line that made the call, not at the block's first line.

const setup = fence(
  'ts',
  [
    "const server = container.server('websocket', { json: true })",
    'await server.start({ port: 0 })',
    'server.on(\'message\', (data: any) => {',
    "  if (data.type === 'fail') data.replyError('no such thing')",
    '})',
    "const client = container.client('websocket', { json: true })",
    'await client.connect(`ws://127.0.0.1:${server.port}`)',
  ].join('\n'),
);

const files = {
  // The failing call is on the block's third line, indented, inside a function.
  'answer.md': ['# Error answer\n', setup, fence('ts', "const n = 1\nasync function lookUp() {\n    return await client.ask('fail', { n })\n}\nawait lookUp()")].join('\n'),
  'timeout.md': ['# Timeout\n', setup, fence('ts', "const wait = 50\n\nconst answer = await client.ask('silent', {}, wait)")].join('\n'),
};

let run: CliResult & { report: RunResult };

beforeAll(async () => {
  run = await runJson(makeDocs(files), Object.keys(files));
});

describe('rejected asks point at the call', () => {
  it('an error answer: at the ask() call inside the function, then the line that called the function', () => {
    const error = docResult(run.report, 'answer.md').blocks[1]!.error!;
    expect(error.code).toBe('RUNBOOK_ASK_ERROR');
    expect(error.message).toBe("ask('fail') was answered with an error by the server: no such thing");
    expect(error.location).toBe('answer.md:16:25');
    expect(error.stack?.split('\n').slice(0, 2)).toEqual(['at lookUp (answer.md:16:25)', 'at answer.md:18:7']);
  });

  it('a timeout: at the ask() call', () => {
    const error = docResult(run.report, 'timeout.md').blocks[1]!.error!;
    expect(error.code).toBe('RUNBOOK_ASK_TIMEOUT');
    expect(error.message).toBe(
      "ask('silent') timed out after 50 ms: the server sent no reply. Make sure its handler calls reply() for 'silent' requests, or pass a longer timeout as the third argument.",
    );
    expect(error.location).toBe('timeout.md:16:29');
    expect(error.frame).toBe(['  14 | const wait = 50', '  15 |', "> 16 | const answer = await client.ask('silent', {}, wait)", '     |                             ^', '  17 | ```', '  18 |'].join('\n'));
  });
});
