import { describe, expect, it } from 'vitest';
import { Emitter } from '../../src/container/emitter.js';

interface DoorEvents {
  opened: [by: string, at: number];
  closed: [];
}

class Door extends Emitter<DoorEvents> {}

describe('Emitter', () => {
  it('calls listeners in order with the arguments emitted; once listeners only once; off removes one or all', () => {
    const door = new Door();
    const calls: string[] = [];
    const first = (by: string, at: number) => calls.push(`first ${by} ${at}`);
    door.on('opened', first);
    door.once('opened', (by) => calls.push(`once ${by}`));
    door.on('closed', () => calls.push('closed'));
    expect(door.emit('opened', 'ana', 1)).toBe(true);
    expect(door.emit('opened', 'bo', 2)).toBe(true);
    door.off('opened', first);
    expect(door.emit('opened', 'cy', 3)).toBe(false);
    door.off('closed');
    expect(door.emit('closed')).toBe(false);
    expect(calls).toEqual(['first ana 1', 'once ana', 'first bo 2']);
  });

  it('waitFor resolves with the next emit of the event, as a tuple', async () => {
    const door = new Door();
    const next = door.waitFor('opened');
    door.emit('opened', 'ana', 7);
    expect(await next).toEqual(['ana', 7]);
    expect(door.listenerCount('opened')).toBe(0);
  });

  it('an event map types names, listener arguments and emitted arguments (checked by tsc)', () => {
    const door = new Door();
    // @ts-expect-error no such event
    door.on('slammed', () => {});
    // @ts-expect-error `at` is a number
    door.on('opened', (_by: string, at: string) => at);
    // @ts-expect-error `opened` needs who opened it and when
    door.emit('opened', 'ana');
    // @ts-expect-error `closed` has no arguments
    door.emit('closed', 1);
    expect(door.listenerCount('opened')).toBe(1);
  });

  it('without a map, any event takes any arguments', () => {
    const loose = new Emitter();
    const seen: unknown[] = [];
    loose.on('anything', (count: number, label: string) => seen.push(count, label));
    loose.emit('anything', 1, 'one');
    expect(seen).toEqual([1, 'one']);
  });

  it('never throws on an unheard error event', () => {
    expect(new Emitter().emit('error', new Error('nobody listens'))).toBe(false);
  });
});
