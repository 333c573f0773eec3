/**
 * Which events an emitter has and what their listeners get: event name → the
 * listener's arguments as a tuple, e.g. `{ exit: [code: number | null]; allStopped: [] }`.
 * Written as a self-bound so that an `interface` satisfies it too (an interface
 * has no index signature for a plain `Record<string, unknown[]>` to match).
 */
export type EventMap<Events> = { [Name in keyof Events]: unknown[] };

/**
 * The events of an emitter that declares none, such as a user's own feature:
 * any name, any arguments, as with node:events. A listener may then type its
 * parameters as it likes, which `unknown[]` would refuse.
 */
export type AnyEvents = { [event: string]: any[] };

/** The names of an event map's events. */
export type EventName<Events> = keyof Events & string;

/** A listener of `event`: it gets that event's arguments. */
export type Listener<Events extends EventMap<Events>, Name extends EventName<Events>> = (...args: Events[Name]) => void;

// What the listener sets hold: the map's types are the methods' business, not the storage's.
type StoredListener = (...args: never) => void;

/**
 * A small event emitter, typed by an event map when its class declares one:
 * `class Server extends Emitter<{ listening: [port: number] }>` makes
 * `on('listening', (port) => …)` give `port` a number, and refuses unknown
 * names. Unlike node:events it never throws on an unhandled 'error' event: a
 * doc forgetting a listener must not crash the runner.
 */
export class Emitter<Events extends EventMap<Events> = AnyEvents> {
  #listeners = new Map<string, Set<StoredListener>>();

  on<Name extends EventName<Events>>(event: Name, listener: Listener<Events, Name>): this {
    let set = this.#listeners.get(event);
    if (!set) this.#listeners.set(event, (set = new Set()));
    set.add(listener);
    return this;
  }

  once<Name extends EventName<Events>>(event: Name, listener: Listener<Events, Name>): this {
    const wrapped: Listener<Events, Name> = (...args) => {
      this.off(event, wrapped);
      listener(...args);
    };
    return this.on(event, wrapped);
  }

  /** Removes one listener of `event`, or all of them when none is given. */
  off<Name extends EventName<Events>>(event: Name, listener?: Listener<Events, Name>): this {
    if (listener) this.#listeners.get(event)?.delete(listener);
    else this.#listeners.delete(event);
    return this;
  }

  /** Calls the listeners of `event` with `args`, in the order they were added; false when there were none. */
  emit<Name extends EventName<Events>>(event: Name, ...args: Events[Name]): boolean {
    const set = this.#listeners.get(event);
    if (!set || set.size === 0) return false;
    for (const listener of [...set]) (listener as Listener<Events, Name>)(...args);
    return true;
  }

  /** Resolves with the event's arguments the next time it fires. */
  waitFor<Name extends EventName<Events>>(event: Name): Promise<Events[Name]> {
    return new Promise((resolve) => this.once(event, (...args) => resolve(args)));
  }

  listenerCount(event: EventName<Events>): number {
    return this.#listeners.get(event)?.size ?? 0;
  }

  removeAllListeners(): this {
    this.#listeners.clear();
    return this;
  }
}
