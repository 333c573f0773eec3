import { createRequire, syncBuiltinESMExports } from 'node:module';
import { promisify } from 'node:util';

type Noun = 'timer' | 'interval' | 'immediate';
type Handle = NodeJS.Timeout | NodeJS.Immediate;

// The doc's timers must be Node's own functions as far as the doc can tell
// (`setTimeout === require('node:timers').setTimeout`, util.promisify works),
// yet the executor must clear what a doc left behind. So the executor replaces
// the functions once, in both places, with wrappers that remember the handles
// made while a doc runs.
const active = new Map<Handle, Noun>();
let tracking = false;

const nodeRequire = createRequire(import.meta.url);
const pristine = { clearTimeout, clearImmediate };

function wrapSetter(original: (...args: never[]) => Handle, noun: Noun, once: boolean): (...args: unknown[]) => Handle {
  const wrapper = {
    [original.name](this: unknown, callback: unknown, ...rest: unknown[]): Handle {
      if (!tracking || typeof callback !== 'function') return Reflect.apply(original, this, [callback, ...rest]) as Handle;
      const fn = callback as (...args: unknown[]) => unknown;
      let handle: Handle;
      const run = once
        ? function (this: unknown, ...args: unknown[]) {
            active.delete(handle);
            return Reflect.apply(fn, this, args);
          }
        : fn;
      handle = Reflect.apply(original, this, [run, ...rest]) as Handle;
      active.set(handle, noun);
      return handle;
    },
  }[original.name]!;
  const custom = (original as unknown as Record<symbol, unknown>)[promisify.custom];
  if (custom) Object.defineProperty(wrapper, promisify.custom, { value: custom, configurable: true, writable: true });
  return wrapper;
}

function wrapClearer(original: (handle?: Handle) => void): (handle?: Handle) => void {
  return {
    [original.name](this: unknown, handle?: Handle): void {
      if (handle !== undefined) active.delete(handle);
      Reflect.apply(original, this, [handle]);
    },
  }[original.name]!;
}

let installed = false;

/** Replaces the timer functions on globalThis and node:timers with tracking ones (once per process). */
export function installDocTimers(): void {
  if (installed) return;
  installed = true;
  const timers = nodeRequire('node:timers') as Record<string, unknown>;
  const g = globalThis as unknown as Record<string, unknown>;
  const replacements: Record<string, unknown> = {
    setTimeout: wrapSetter(setTimeout as never, 'timer', true),
    setInterval: wrapSetter(setInterval as never, 'interval', false),
    setImmediate: wrapSetter(setImmediate as never, 'immediate', true),
    clearTimeout: wrapClearer(clearTimeout as never),
    clearInterval: wrapClearer(clearInterval as never),
    clearImmediate: wrapClearer(clearImmediate as never),
  };
  for (const [name, fn] of Object.entries(replacements)) {
    g[name] = fn;
    timers[name] = fn;
  }
  syncBuiltinESMExports();
}

/** Starts remembering the timers a doc makes. */
export function trackDocTimers(): void {
  active.clear();
  tracking = true;
}

/** Stops tracking and clears every timer the doc left pending; one noun per timer it had to clear. */
export function clearDocTimers(): Noun[] {
  tracking = false;
  const cleared: Noun[] = [];
  for (const [handle, noun] of active) {
    // Timers a doc unref()'d were meant to die quietly with the process.
    if ((handle as { hasRef?: () => boolean }).hasRef?.() ?? true) cleared.push(noun);
    if (noun === 'immediate') pristine.clearImmediate(handle as NodeJS.Immediate);
    else pristine.clearTimeout(handle as NodeJS.Timeout);
  }
  active.clear();
  return cleared;
}
