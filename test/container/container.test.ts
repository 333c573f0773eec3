import { describe, expect, it } from 'vitest';
import * as zod from 'zod';
import { z } from 'zod';
import { Container } from '../../src/container/container.js';
import { countNouns } from '../../src/container/disposal.js';
import { createContainer } from '../../src/features/create-container.js';
import { Feature } from '../../src/container/feature.js';

class Recorder extends Feature<{ label: string }> {
  static override readonly featureName = 'recorder';
  static override readonly optionsSchema = z.object({ label: z.string().default('x'), retries: z.number().int().optional() }).strict();
  static log: string[] = [];
  override openResources(): string[] {
    return ['recorder'];
  }
  protected override onEnable(): void {
    Recorder.log.push(`enable ${this.options.label}`);
  }
  protected override onDispose(): void {
    Recorder.log.push(`dispose ${this.options.label}`);
  }
}

function container(): Container {
  Recorder.log = [];
  return new Container().register(Recorder);
}

describe('Container', () => {
  it('gives the same instance for the same name and options, a new one for other options', () => {
    const c = container();
    const a = c.feature('recorder', { label: 'a' });
    expect(c.feature('recorder', { label: 'a' })).toBe(a);
    expect(c.feature('recorder', { label: 'b' })).not.toBe(a);
  });

  it('gives the same instance for the same options in any key order, keys that collate alike included', () => {
    class Tagged extends Feature<{ tags: Record<string, number> }> {
      static override readonly featureName = 'tagged';
      static override readonly optionsSchema = z.object({ tags: z.record(z.string(), z.number()) }).strict();
    }
    const c = new Container().register(Tagged);
    // 'é' as one code point and as 'e' + a combining accent: distinct keys that collation calls equal.
    const a = c.feature('tagged', { tags: { '\u00e9': 1, 'e\u0301': 2, b: 3 } });
    expect(c.feature('tagged', { tags: { b: 3, 'e\u0301': 2, '\u00e9': 1 } })).toBe(a);
    expect(c.feature('tagged', { tags: { b: 3, 'e\u0301': 1, '\u00e9': 2 } })).not.toBe(a);
  });

  it('names the feature, option, bad value and expected type for invalid options', () => {
    expect(() => container().feature('recorder', { label: 5 })).toThrow("Invalid options for feature 'recorder': 'label' expected string, got 5 (number).");
    expect(() => container().feature('recorder', { lable: 'a' })).toThrow("Invalid options for feature 'recorder': unknown option 'lable'.");
  });

  it('lists the available features, with a did-you-mean, for an unknown name', () => {
    const c = createContainer();
    expect(() => c.feature('procesManager')).toThrow(/^Unknown feature 'procesManager'\. Did you mean 'processManager'\? Available: .*processManager/);
    expect(() => c.server('websockets')).toThrow("Unknown server 'websockets'. Did you mean 'websocket'? Available: websocket.");
  });

  it('registers user features, enables once, and disposes everything newest first', async () => {
    const c = container();
    await c.feature<Recorder>('recorder', { label: 'first' }).enable();
    await c.feature<Recorder>('recorder', { label: 'first' }).enable();
    c.feature('recorder', { label: 'second' });
    c.track({ label: 'timer', openResources: () => ['interval'], dispose: () => void Recorder.log.push('dispose timer') });
    const report = await c.dispose();
    expect(Recorder.log).toEqual(['enable first', 'dispose timer', 'dispose second', 'dispose first']);
    expect(report.cleaned).toEqual(['1 interval', '2 recorders']);
    expect(() => c.feature('recorder')).toThrow("Cannot create feature 'recorder': the container was already disposed.");
  });

  it('keeps disposing the rest when one disposal throws, and reports it', async () => {
    const c = container();
    c.feature('recorder', { label: 'kept' });
    c.track({ label: 'broken thing', dispose: () => { throw new Error('no'); } });
    const report = await c.dispose();
    expect(report.errors.map((e) => e.label)).toEqual(['broken thing']);
    expect(Recorder.log).toEqual(['dispose kept']);
  });

  it('offers observable state and events on features', () => {
    const feature = container().feature<Recorder>('recorder');
    const seen: unknown[] = [];
    feature.state.observe((next, _previous, changed) => seen.push([changed, next]));
    feature.state.set({ count: 1 } as never);
    feature.state.set({ count: 1 } as never);
    feature.once('ping', (value) => seen.push(`ping ${value}`));
    feature.emit('ping', 1);
    feature.emit('ping', 2);
    expect(seen).toEqual([[['count'], { count: 1 }], 'ping 1']);
  });

  it('gives the z and features its creator put in, and names the fix when z was left out', () => {
    const made = new Container({}, { features: [Recorder], z: () => zod });
    expect(made.z).toBe(zod);
    expect(made.has('recorder')).toBe(true);
    expect(() => new Container().z).toThrow('This container was made without zod: make it with createContainer(), or pass { z } to new Container().');
    expect(createContainer().z.object).toBeTypeOf('function');
  });
});

describe('countNouns', () => {
  it.each([
    [[], []],
    [['server'], ['1 server']],
    [['process', 'process', 'server'], ['2 processes', '1 server']],
  ])('%j → %j', (nouns, expected) => expect(countNouns(nouns)).toEqual(expected));
});
