export type StateObserver<S> = (next: Readonly<S>, previous: Readonly<S>, changed: (keyof S)[]) => void;

/** Observable feature state: `set` merges, observers see what changed. */
export class State<S extends object> {
  #value: S;
  #observers = new Set<StateObserver<S>>();

  constructor(initial: S) {
    this.#value = { ...initial };
  }

  get current(): Readonly<S> {
    return this.#value;
  }

  get<K extends keyof S>(key: K): S[K] {
    return this.#value[key];
  }

  set(patch: Partial<S>): void {
    const previous = this.#value;
    const changed = (Object.keys(patch) as (keyof S)[]).filter((key) => !Object.is(previous[key], patch[key]));
    if (changed.length === 0) return;
    this.#value = { ...previous, ...patch };
    for (const observer of [...this.#observers]) observer(this.#value, previous, changed);
  }

  /** Returns a function that stops observing. */
  observe(observer: StateObserver<S>): () => void {
    this.#observers.add(observer);
    return () => this.#observers.delete(observer);
  }

  toJSON(): S {
    return { ...this.#value };
  }
}
