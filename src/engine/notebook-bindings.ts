/**
 * The doc's declarations as configurable properties of its global object (see hoist.ts).
 *
 * A script-level `let`/`const`/`class` lives in the realm's global lexical scope for
 * good and a script-level `var`/`function` is a property nobody can delete; neither
 * can be declared again by a later block or removed after the doc. So the rewritten
 * blocks declare nothing themselves: they call these, which define plain
 * configurable properties and keep `const` and TDZ errors as JavaScript has them.
 */
export interface NotebookBindings {
  /**
   * Opens a block: its top-level `let`/`const`/`class` names are uninitialized (reading
   * or writing one throws ReferenceError) until their declaration runs; its `var` names
   * exist (keeping a value they already had); its top-level functions are published.
   */
  enter(lexical: readonly string[], vars: readonly string[], functions?: Readonly<Record<string, unknown>>): void;
  /**
   * Names a block is about to declare as functions of the global scope itself (run by
   * indirect eval): bound from now on, so that `restore()` puts back what they were.
   */
  declareFunctions(names: readonly string[]): void;
  /** `bindings.let.name = value` (also a destructuring target) initializes a mutable binding. */
  readonly let: Record<string, unknown>;
  /** `bindings.const.name = value` initializes a constant: assigning to it later throws TypeError. */
  readonly const: Record<string, unknown>;
  /** Every name the doc has bound so far, in the order first bound. */
  names(): string[];
  /** Puts each bound name back as it was before the doc: deleted, or its former property. */
  restore(): void;
}

type Kind = 'uninitialized' | 'constant' | 'plain';

interface Binding {
  kind: Kind;
  /** The property the name had before the doc first bound it. */
  before: PropertyDescriptor | undefined;
}

/** Bindings kept on `global` (the doc's globalThis); errors are made with its own constructors. */
export function createNotebookBindings(global: object): NotebookBindings {
  const target = global as Record<string, unknown>;
  // The realm's own constructors, so `instanceof ReferenceError` holds in the doc's realm.
  const { ReferenceError: ReferenceErrorOf, TypeError: TypeErrorOf, SyntaxError: SyntaxErrorOf } = target as unknown as typeof globalThis;
  const bound = new Map<string, Binding>();

  // Every descriptor is made configurable (an executor removes the doc's names after it), by its maker:
  // spreading one here cost ~8 us a block (descriptors of two shapes make the copy take V8's slow path).
  type Made = PropertyDescriptor & { configurable: true };
  const define = (name: string, kind: Kind, descriptor: Made): void => {
    const before = bound.has(name) ? undefined : Object.getOwnPropertyDescriptor(target, name);
    if (!Reflect.defineProperty(target, name, descriptor)) {
      throw new SyntaxErrorOf(`Identifier '${name}' has already been declared`);
    }
    const binding = bound.get(name);
    if (binding) binding.kind = kind;
    else bound.set(name, { kind, before });
  };

  const uninitialized = (name: string): Made => {
    const fail = (): never => {
      throw new ReferenceErrorOf(`Cannot access '${name}' before initialization`);
    };
    return { get: fail, set: fail, enumerable: false, configurable: true };
  };

  const constant = (value: unknown): Made => ({
    get: () => value,
    set: () => {
      throw new TypeErrorOf('Assignment to constant variable.');
    },
    enumerable: true,
    configurable: true,
  });

  const plain = (value: unknown): Made => ({ value, writable: true, enumerable: true, configurable: true });

  const initializer = (make: (value: unknown) => Made, kind: Kind): Record<string, unknown> =>
    new Proxy(Object.create(null) as Record<string, unknown>, {
      set(_, name, value) {
        if (typeof name === 'string') define(name, kind, make(value));
        return true;
      },
    });

  return {
    enter(lexical, vars, functions) {
      for (const name of lexical) define(name, 'uninitialized', uninitialized(name));
      for (const name of vars) {
        const kind = bound.get(name)?.kind;
        // A `var` over an earlier block's const or uninitialized let becomes a plain variable.
        if (kind === 'constant') define(name, 'plain', plain(target[name]));
        else if (kind === 'uninitialized') define(name, 'plain', plain(undefined));
        else if (!Object.prototype.hasOwnProperty.call(target, name)) define(name, 'plain', plain(undefined));
      }
      if (functions) for (const [name, value] of Object.entries(functions)) define(name, 'plain', plain(value));
    },
    declareFunctions(names) {
      for (const name of names) {
        const binding = bound.get(name);
        if (binding) binding.kind = 'plain';
        else bound.set(name, { kind: 'plain', before: Object.getOwnPropertyDescriptor(target, name) });
      }
    },
    let: initializer(plain, 'plain'),
    const: initializer(constant, 'constant'),
    names: () => [...bound.keys()],
    restore() {
      for (const [name, { before }] of bound) {
        if (before) Object.defineProperty(target, name, before);
        else delete target[name];
      }
      bound.clear();
    },
  };
}
