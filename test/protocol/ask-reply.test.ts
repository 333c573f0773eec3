import { afterEach, describe, expect, it, vi } from 'vitest';
import { AskReply, isAnswer, isRequest, type IncomingRequest } from '../../src/protocol/ask-reply.js';

// Two channels wired back to back through a JSON round trip, like a real wire.
function pair() {
  const handlers: { a?: (m: any) => void; b?: (m: any) => void } = {};
  const a: AskReply = new AskReply({ send: (m) => queueMicrotask(() => deliver(b, handlers.b, m)), peer: 'side B' });
  const b: AskReply = new AskReply({ send: (m) => queueMicrotask(() => deliver(a, handlers.a, m)), peer: 'side A' });
  function deliver(channel: AskReply, handler: ((m: any) => void) | undefined, m: object) {
    const message = channel.receive(JSON.parse(JSON.stringify(m)));
    if (message !== undefined) handler?.(message);
  }
  return { a, b, handlers };
}

afterEach(() => {
  vi.useRealTimers();
});

describe('AskReply', () => {
  it('resolves with the data of the matching reply', async () => {
    const { a, handlers } = pair();
    handlers.b = (m: IncomingRequest<{ x: number }>) => m.reply({ double: m.data.x * 2 });
    await expect(a.ask('double', { x: 21 })).resolves.toEqual({ double: 42 });
    expect(a.pendingCount).toBe(0);
  });

  it('rejects with the request type and the remote message on replyError', async () => {
    const { a, handlers } = pair();
    handlers.b = (m: IncomingRequest) => m.replyError('division by zero');
    const error = (await a.ask('divide', { a: 1, b: 0 }).catch((e: unknown) => e)) as { message: string; code: string; remoteMessage: string };
    expect(error.message).toBe("ask('divide') was answered with an error by side B: division by zero");
    expect(error.code).toBe('RUNBOOK_ASK_ERROR');
    expect(error.remoteMessage).toBe('division by zero');
  });

  it('times out with a message naming the type, the delay and what to do', async () => {
    vi.useFakeTimers();
    const { a } = pair();
    const promise = a.ask('noop', {}, 500);
    const assertion = expect(promise).rejects.toThrow(
      "ask('noop') timed out after 500 ms: side B sent no reply. Make sure its handler calls reply() for 'noop' requests, or pass a longer timeout as the third argument.",
    );
    await vi.advanceTimersByTimeAsync(499);
    expect(a.pendingCount).toBe(1);
    await vi.advanceTimersByTimeAsync(1);
    await assertion;
    expect(a.pendingCount).toBe(0);
  });

  it('defaults the timeout to 10 seconds', async () => {
    vi.useFakeTimers();
    const { a } = pair();
    const promise = a.ask('slow');
    const assertion = expect(promise).rejects.toThrow("ask('slow') timed out after 10000 ms");
    await vi.advanceTimersByTimeAsync(9_999);
    expect(a.pendingCount).toBe(1);
    await vi.advanceTimersByTimeAsync(1);
    await assertion;
  });

  it('validates its arguments', async () => {
    const { a } = pair();
    await expect(a.ask('', {})).rejects.toThrow('ask() needs a non-empty message type string as its first argument, got "".');
    await expect(a.ask('x', {}, -5)).rejects.toThrow("ask('x') needs a positive timeout in milliseconds, got -5 (number). Omit it for the default of 10000 ms.");
    await expect(a.ask('x', {}, '100' as unknown as number)).rejects.toThrow("ask('x') needs a positive timeout in milliseconds, got 100 (string).");
  });

  it('rejectAll fails every pending ask with the reason, and later asks at once', async () => {
    const { a } = pair();
    const first = a.ask('one', {});
    const second = a.ask('two', {});
    a.rejectAll('the connection closed');
    await expect(first).rejects.toThrow("ask('one') got no reply: the connection closed.");
    await expect(second).rejects.toThrow("ask('two') got no reply: the connection closed.");
    await expect(a.ask('three')).rejects.toThrow("ask('three') cannot be sent: the connection closed.");
    a.reopen();
    const again = a.ask('four', {}, 50);
    await expect(again).rejects.toThrow('timed out');
  });

  it('matches 100 concurrent asks answered in reverse order to their callers', async () => {
    const { a, handlers } = pair();
    const held: IncomingRequest<number>[] = [];
    handlers.b = (m: IncomingRequest<number>) => {
      held.push(m);
      if (held.length === 100) for (const request of held.reverse()) request.reply(request.data * 10);
    };
    const answers = await Promise.all(Array.from({ length: 100 }, (_, i) => a.ask<number>('times10', i)));
    expect(answers).toEqual(Array.from({ length: 100 }, (_, i) => i * 10));
  });

  it('passes ordinary messages and unknown answers through untouched', () => {
    const channel = new AskReply({ send: () => {} });
    const plain = { type: 'ping', ts: 1 };
    expect(channel.receive(plain)).toBe(plain);
    expect(Object.keys(plain)).toEqual(['type', 'ts']);
    const late = { replyTo: 'nobody-1', data: 1 };
    expect(channel.receive(late)).toBe(late);
    expect(channel.receive('not json')).toBe('not json');
  });

  it('keeps extra fields, works detached, and clones to just the data', () => {
    const sent: object[] = [];
    const channel = new AskReply({ send: (m) => void sent.push(m) });
    const request = channel.receive({ type: 'hi', data: [1], requestId: 'r3', trace: 'abc' }) as IncomingRequest & { trace: string };
    expect(request.trace).toBe('abc');
    expect(structuredClone(request)).toEqual({ type: 'hi', data: [1], requestId: 'r3', trace: 'abc' });
    expect(JSON.parse(JSON.stringify(request))).toEqual({ type: 'hi', data: [1], requestId: 'r3', trace: 'abc' });
    const { reply } = request;
    reply('detached');
    expect(sent).toEqual([{ replyTo: 'r3', data: 'detached' }]);
  });

  it('injects non-enumerable reply() and replyError() on requests, answering once', () => {
    const sent: object[] = [];
    const channel = new AskReply({ send: (m) => void sent.push(m) });
    const request = channel.receive({ type: 'hi', data: 1, requestId: 'r1' }) as IncomingRequest;
    expect(Object.keys(request)).toEqual(['type', 'data', 'requestId']);
    request.reply({ ok: true });
    expect(sent).toEqual([{ replyTo: 'r1', data: { ok: true } }]);
    expect(() => request.replyError('late')).toThrow("replyError() called twice for the 'hi' request r1: a request takes exactly one answer.");
    const failing = channel.receive({ type: 'boom', requestId: 'r2' }) as IncomingRequest;
    failing.replyError(new Error('it broke') as unknown as string);
    expect(sent[1]).toEqual({ replyTo: 'r2', error: 'it broke' });
  });

  it('lets a handler reply to a peer that is gone without throwing', () => {
    const channel = new AskReply({
      send: () => {
        throw new Error('socket closed');
      },
    });
    const request = channel.receive({ type: 'late', requestId: 'r9' }) as IncomingRequest;
    expect(() => request.reply('too late')).not.toThrow();
  });

  it('rejects an ask whose send fails', async () => {
    const channel = new AskReply({ send: () => Promise.reject(new Error('socket closed')) });
    await expect(channel.ask('x', 1)).rejects.toThrow("ask('x') could not be sent: socket closed");
    const throwing = new AskReply({
      send: () => {
        throw new Error('not open');
      },
    });
    await expect(throwing.ask('y')).rejects.toThrow("ask('y') could not be sent: not open");
  });

  it('recognises requests and answers by shape', () => {
    expect(isRequest({ type: 'a', requestId: 'x' })).toBe(true);
    expect(isRequest({ type: 'a', requestId: '' })).toBe(false);
    expect(isAnswer({ replyTo: 'x', data: 1 })).toBe(true);
    expect(isAnswer({ type: 'x' })).toBe(false);
    expect(isAnswer(null)).toBe(false);
  });
});
