import { describe, expect, it } from 'vitest';
import type { ExecutorMessage, FromExecutor } from '../../../src/runner/executor-protocol.js';
import { createSupervisorChannel } from '../../../src/runner/executor/supervisor-channel.js';

const end = (index: number): FromExecutor => ({ type: 'block-end', result: { index, line: 1, status: 'passed' } as never, expectsVerdict: false, marked: [] });
const start = (index: number): FromExecutor => ({ type: 'block-start', index, timeoutMs: 1000, announce: true });
const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('the executor’s channel to its supervisor', () => {
  it('sends a block’s end with the next block’s start, in one message, with the secret', () => {
    const sent: ExecutorMessage[] = [];
    const channel = createSupervisorChannel((message) => sent.push(message));
    channel.setSecret('s3cret');
    channel.send(start(0));
    channel.send(end(0));
    expect(sent).toHaveLength(1);
    channel.send(start(1));
    expect(sent).toHaveLength(2);
    expect(sent[1]).toEqual({ type: 'batch', messages: [end(0), start(1)], token: 's3cret' });
    expect(sent[0]).toEqual({ ...start(0), token: 's3cret' });
  });

  it('sends a doc’s opening with its first block’s start', () => {
    const sent: ExecutorMessage[] = [];
    const channel = createSupervisorChannel((message) => sent.push(message));
    const opened: FromExecutor = { type: 'opened', doc: { title: 'T', tags: [], text: '', blocks: [] } };
    channel.send(opened);
    expect(sent).toHaveLength(0);
    channel.send(start(0));
    expect(sent).toEqual([{ type: 'batch', messages: [opened, start(0)], token: channel.secret() }]);
  });

  it('holds nothing past the turn: a last block’s end goes out on its own', async () => {
    const sent: ExecutorMessage[] = [];
    const channel = createSupervisorChannel((message) => sent.push(message));
    channel.send(end(3));
    channel.send(end(4)); // a skipped block's end, right after
    expect(sent).toHaveLength(0);
    await nextTurn();
    expect(sent).toEqual([{ type: 'batch', messages: [end(3), end(4)], token: channel.secret() }]);
    await nextTurn();
    expect(sent).toHaveLength(1);
  });

  it('flushes before the executor waits for an answer', () => {
    const sent: ExecutorMessage[] = [];
    const channel = createSupervisorChannel((message) => sent.push(message));
    channel.send(end(2));
    channel.flush();
    expect(sent).toEqual([{ ...end(2), token: channel.secret() }]);
  });

  it('keeps working when a doc patched Array.prototype.push', () => {
    const sent: ExecutorMessage[] = [];
    const channel = createSupervisorChannel((message) => void (sent[sent.length] = message)); // not push: patched below
    const push = Array.prototype.push;
    Array.prototype.push = () => 0;
    try {
      channel.send(end(0));
      channel.send(start(1));
    } finally {
      Array.prototype.push = push;
    }
    expect(sent).toEqual([{ type: 'batch', messages: [end(0), start(1)], token: channel.secret() }]);
  });
});
