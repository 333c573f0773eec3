import { closeSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import type { ExecutorMessage, FromExecutor } from '../../../src/runner/executor-protocol.js';
import { createSupervisorChannel, heldAtMost, heldPastTurnAtMost } from '../../../src/runner/executor/supervisor-channel.js';
import { createRegisterFile, RegisterReader, RegisterWriter } from '../../../src/runner/progress-register.js';

const end = (index: number): FromExecutor => ({ type: 'block-end', result: { index, line: 1, status: 'passed' } as never, expectsVerdict: false, marked: [], at: 1 });
const start = (index: number): FromExecutor => ({ type: 'block-start', index, timeoutMs: 1000, announce: true, at: 2 });
const ask = (index: number): FromExecutor => ({ type: 'ask', index });
const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('the executor’s channel to its supervisor, without a progress register', () => {
  it('sends a block’s start at once, with the end before it, in one message, with the secret', () => {
    const sent: ExecutorMessage[] = [];
    const channel = createSupervisorChannel((message) => sent.push(message));
    channel.setSecret('s3cret');
    channel.send(start(0));
    channel.send(end(0));
    expect(sent).toHaveLength(1);
    channel.send(start(1));
    channel.send(ask(2));
    expect(sent).toEqual([
      { ...start(0), token: 's3cret' },
      { type: 'batch', messages: [end(0), start(1)], token: 's3cret' },
      { ...ask(2), token: 's3cret' },
    ]);
  });

  it('holds nothing past the turn', async () => {
    const sent: ExecutorMessage[] = [];
    const channel = createSupervisorChannel((message) => sent.push(message));
    channel.send(end(3));
    channel.send(end(4));
    expect(sent).toHaveLength(0);
    await nextTurn();
    expect(sent).toEqual([{ type: 'batch', messages: [end(3), end(4)], token: channel.secret() }]);
    await nextTurn();
    expect(sent).toHaveLength(1);
  });


  it('holds past the turn when told to, until the next message that goes out at once', async () => {
    const sent: ExecutorMessage[] = [];
    const channel = createSupervisorChannel((message) => sent.push(message));
    channel.send(end(3));
    channel.holdPastTurn();
    await nextTurn();
    await nextTurn();
    expect(sent).toHaveLength(0);
    channel.send(ask(4));
    expect(sent).toEqual([{ type: 'batch', messages: [end(3), ask(4)], token: channel.secret() }]);
  });

  it('sends at once, not with the doc’s end, more than heldPastTurnAtMost held messages', () => {
    const sent: ExecutorMessage[] = [];
    const channel = createSupervisorChannel((message) => sent.push(message));
    for (let index = 0; index <= heldPastTurnAtMost; index++) channel.send(end(index));
    channel.holdPastTurn();
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({ type: 'batch', messages: { length: heldPastTurnAtMost + 1 } });
  });

  it('holds a message sent after holdPastTurn only to the end of its own turn', async () => {
    const sent: ExecutorMessage[] = [];
    const channel = createSupervisorChannel((message) => sent.push(message));
    channel.holdPastTurn();
    channel.send(end(5));
    await nextTurn();
    expect(sent).toEqual([{ ...end(5), token: channel.secret() }]);
  });
  it('flushes on demand (before the executor waits, or a block prints)', () => {
    const sent: ExecutorMessage[] = [];
    const channel = createSupervisorChannel((message) => sent.push(message));
    channel.send(end(2));
    channel.flush();
    expect(sent).toEqual([{ ...end(2), token: channel.secret() }]);
  });

  it('written() waits for the writes under way, and resolves at once when there are none', async () => {
    const callbacks: (() => void)[] = [];
    const channel = createSupervisorChannel((_, written) => callbacks.push(written));
    let done = false;
    await channel.written();
    channel.send(ask(1));
    channel.send(ask(2));
    const written = channel.written().then(() => (done = true));
    callbacks.shift()!();
    await nextTurn();
    expect(done).toBe(false);
    callbacks.shift()!();
    await written;
    expect(done).toBe(true);
  });

  it('written() of a new doc run does not wait for writes of an earlier one whose calls back were lost', async () => {
    const callbacks: (() => void)[] = [];
    const channel = createSupervisorChannel((_, written) => callbacks.push(written));
    channel.send(ask(1)); // its call back never comes (a doc replaced process.nextTick meanwhile)
    channel.beginRun(undefined);
    channel.send(ask(2));
    const written = channel.written();
    callbacks[1]!();
    await written;
    callbacks[0]!(); // late: counts for nothing
    channel.send(ask(3));
    let done = false;
    void channel.written().then(() => (done = true));
    await nextTurn();
    expect(done).toBe(false);
  });

  it('keeps working when a doc patched Array.prototype.push and Set.prototype.has', () => {
    const sent: ExecutorMessage[] = [];
    const channel = createSupervisorChannel((message) => void (sent[sent.length] = message)); // not push: patched below
    const { push } = Array.prototype;
    const { has } = Set.prototype;
    Array.prototype.push = () => 0;
    Set.prototype.has = () => false;
    try {
      channel.send(end(0));
      channel.send(start(1));
    } finally {
      Array.prototype.push = push;
      Set.prototype.has = has;
    }
    expect(sent).toEqual([{ type: 'batch', messages: [end(0), start(1)], token: channel.secret() }]);
  });
});

describe('the executor’s channel with a progress register (a real file)', () => {
  const files: number[] = [];
  const register = () => {
    const fd = createRegisterFile()!;
    files.push(fd);
    return { writer: new RegisterWriter(fd), reader: new RegisterReader(fd), fd };
  };
  afterEach(() => {
    for (const fd of files.splice(0)) {
      try {
        closeSync(fd);
      } catch {
        // closed by the test
      }
    }
  });
  const withRegister = () => {
    const { writer, reader, fd } = register();
    const sent: ExecutorMessage[] = [];
    const channel = createSupervisorChannel((message) => sent.push(message));
    channel.useRegister(writer);
    channel.beginRun(77);
    reader.begin(77);
    return { channel, sent, reader, fd };
  };
  const valued = (index: number): FromExecutor => ({ ...end(index), result: { index, line: 1, status: 'passed', value: '42' } as never } as FromExecutor);

  it('holds blocks that pass in silence, and writes each block’s start to the register', () => {
    const { channel, sent, reader } = withRegister();
    channel.send(start(0));
    expect(reader.read()).toEqual({ index: 0, limitMs: 1000, at: 2 });
    channel.send(end(0));
    channel.send(start(1));
    expect(reader.read()).toEqual({ index: 1, limitMs: 1000, at: 2 });
    expect(sent).toHaveLength(0);
    channel.flush();
    expect(sent).toEqual([{ type: 'batch', messages: [start(0), end(0), start(1)], token: channel.secret() }]);
  });

  it('sends a block’s end that says more than that it passed (a value, output, a failure) at once', () => {
    const { channel, sent } = withRegister();
    channel.send(start(0));
    channel.send(valued(0));
    expect(sent).toEqual([{ type: 'batch', messages: [start(0), valued(0)], token: channel.secret() }]);
    const failed: FromExecutor = { ...end(1), result: { index: 1, line: 1, status: 'failed' } as never } as FromExecutor;
    channel.send(failed);
    const printed: FromExecutor = { ...end(2), marked: ['stdout'] } as FromExecutor;
    channel.send(printed);
    expect(sent.slice(1)).toEqual([
      { ...failed, token: channel.secret() },
      { ...printed, token: channel.secret() },
    ]);
  });

  it('sends any other message at once, in one write with what it holds (a doc’s last blocks and its end)', () => {
    const { channel, sent } = withRegister();
    channel.send(start(0));
    channel.send(end(0));
    channel.send(ask(1));
    expect(sent).toEqual([{ type: 'batch', messages: [start(0), end(0), ask(1)], token: channel.secret() }]);
    channel.send(ask(2));
    expect(sent.slice(1)).toEqual([{ ...ask(2), token: channel.secret() }]);
  });

  it('a record of an earlier doc run is not this one’s', () => {
    const { channel, reader } = withRegister();
    channel.send(start(4));
    channel.beginRun(78);
    reader.begin(78);
    expect(reader.read()).toBeUndefined();
    channel.send(start(0));
    expect(reader.read()?.index).toBe(0);
  });

  it('sends what it holds once it holds heldAtMost messages, so the supervisor keeps up with a long turn', () => {
    const { channel, sent } = withRegister();
    for (let index = 0; index < heldAtMost / 2; index++) {
      channel.send(start(index));
      channel.send(end(index));
    }
    expect(sent).toEqual([{ type: 'batch', messages: Array.from({ length: heldAtMost }, (_, i) => (i % 2 ? end((i - 1) / 2) : start(i / 2))), token: channel.secret() }]);
  });

  it('sends each block’s start at once when a doc closed the register’s descriptor', () => {
    const { channel, sent, fd } = withRegister();
    closeSync(fd);
    channel.send(start(0));
    expect(sent).toEqual([{ ...start(0), token: channel.secret() }]);
  });

  it('a reader of a closed register reads nothing, and does not throw', () => {
    const { reader, fd } = register();
    reader.begin(1);
    closeSync(fd);
    expect(reader.read()).toBeUndefined();
  });
});
