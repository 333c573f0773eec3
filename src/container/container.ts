import { randomUUID } from 'node:crypto';
import { runbookError } from '../errors.js';
import { countNouns, type Disposable, type DisposeReport } from './disposal.js';
import type { ClientTypes, Feature, FeatureClass, FeatureHost, FeatureTypes, HelperKind, ServerTypes, Zod } from './feature.js';
import { parseOptions } from './options.js';
import type { ContainerSettings } from './settings.js';
import { closest } from './suggest.js';

// Keys in code-unit order, not localeCompare: collation calls two spellings of
// the same text equal ('é' and 'e' + U+0301), and so kept them in the order
// given (two instances for the same options); its first call also loads ICU's
// collator, ~10 ms and 2 MB in the process that runs the doc.
const byKey = ([a]: [string, unknown], [b]: [string, unknown]): number => (a < b ? -1 : a > b ? 1 : 0);

// A stable key for "the same options": functions and class instances make options unique.
function optionsKey(options: unknown): string | null {
  try {
    return JSON.stringify(options ?? {}, (_key, value: unknown) => {
      if (typeof value === 'function' || typeof value === 'symbol') throw new Error('unkeyable');
      if (value && typeof value === 'object' && !Array.isArray(value)) {
        const proto = Object.getPrototypeOf(value);
        if (proto !== Object.prototype && proto !== null) throw new Error('unkeyable');
        return Object.fromEntries(Object.entries(value).sort(byKey));
      }
      return value;
    });
  } catch {
    return null;
  }
}

const kindLabel: Record<HelperKind, string> = { feature: 'feature', server: 'server', client: 'client' };

/** What a container is made with besides its settings: whoever creates it knows what to put in. */
export interface ContainerParts {
  /** The features, servers and clients it can create. */
  features?: Iterable<FeatureClass>;
  /** Gives the whole of zod, as docs see it in `z`; called on each read, so it may load zod then. */
  z?: () => Zod;
}

/**
 * Holds the features, servers and clients a doc uses. Same name and options
 * give the same instance; dispose() cleans up everything, newest first.
 */
export class Container implements FeatureHost {
  /** The whole of zod, as docs see it in `z` (loaded on first use). */
  get z(): Zod {
    if (!this.#z) {
      throw runbookError('RUNBOOK_NO_ZOD', 'This container was made without zod: make it with createContainer(), or pass { z } to new Container().');
    }
    return this.#z();
  }

  readonly settings: ContainerSettings;
  readonly utils = { uuid: (): string => randomUUID() };
  #registry: Record<HelperKind, Map<string, FeatureClass>> = { feature: new Map(), server: new Map(), client: new Map() };
  #instances = new Map<string, Feature>();
  #tracked: Disposable[] = [];
  #disposed = false;
  readonly #z: (() => Zod) | undefined;

  constructor(settings: Partial<ContainerSettings> = {}, parts: ContainerParts = {}) {
    this.settings = { cwd: process.cwd(), env: process.env, ...settings };
    this.#z = parts.z;
    for (const featureClass of parts.features ?? []) this.register(featureClass);
  }

  /** Makes a feature, server or client class available by its `featureName`. */
  register(featureClass: FeatureClass, name: string = featureClass.featureName): this {
    this.#registry[featureClass.kind].set(name, featureClass);
    return this;
  }

  available(kind: HelperKind = 'feature'): string[] {
    return [...this.#registry[kind].keys()].sort();
  }

  has(name: string, kind: HelperKind = 'feature'): boolean {
    return this.#registry[kind].has(name);
  }

  /** The feature registered as `name`, made on first use; typed by name for every feature FeatureTypes lists. */
  feature<K extends keyof FeatureTypes>(name: K, options?: object): FeatureTypes[K];
  feature<F extends Feature = Feature>(name: string, options?: object): F;
  feature(name: string, options?: object): Feature {
    return this.#create('feature', name, options);
  }

  server<K extends keyof ServerTypes>(name: K, options?: object): ServerTypes[K];
  server<F extends Feature = Feature>(name: string, options?: object): F;
  server(name: string, options?: object): Feature {
    return this.#create('server', name, options);
  }

  client<K extends keyof ClientTypes>(name: K, options?: object): ClientTypes[K];
  client<F extends Feature = Feature>(name: string, options?: object): F;
  client(name: string, options?: object): Feature {
    return this.#create('client', name, options);
  }

  /** Registers something the container must dispose with the doc. Returns a function that untracks it. */
  track(disposable: Disposable): () => void {
    this.#tracked.push(disposable);
    return () => {
      const index = this.#tracked.indexOf(disposable);
      if (index >= 0) this.#tracked.splice(index, 1);
    };
  }

  /** True when dispose() has something to do: a feature was created, or something tracked. */
  get holdsAny(): boolean {
    return this.#tracked.length > 0;
  }

  get isDisposed(): boolean {
    return this.#disposed;
  }

  /** Disposes everything created or tracked, newest first; never throws. */
  async dispose(): Promise<DisposeReport> {
    const errors: DisposeReport['errors'] = [];
    const open: string[] = [];
    this.#disposed = true;
    const items = [...this.#tracked].reverse();
    this.#tracked = [];
    this.#instances.clear();
    for (const item of items) {
      try {
        // Ask before disposing: afterwards nothing is open any more.
        open.push(...(item.openResources?.() ?? []));
        await item.dispose();
      } catch (error) {
        errors.push({ label: item.label, error });
      }
    }
    return { cleaned: countNouns(open), errors };
  }

  #create<F extends Feature>(kind: HelperKind, name: string, options: object | undefined): F {
    if (typeof name !== 'string') {
      throw runbookError('RUNBOOK_UNKNOWN_FEATURE', `container.${kind}() needs a name string, got ${typeof name}.`);
    }
    const featureClass = this.#registry[kind].get(name);
    if (!featureClass) {
      const names = this.available(kind);
      const guess = closest(name, names);
      throw runbookError(
        'RUNBOOK_UNKNOWN_FEATURE',
        `Unknown ${kindLabel[kind]} '${name}'.${guess ? ` Did you mean '${guess}'?` : ''} Available: ${names.join(', ') || '(none)'}.`,
      );
    }
    if (this.#disposed) {
      throw runbookError('RUNBOOK_DISPOSED', `Cannot create ${kindLabel[kind]} '${name}': the container was already disposed.`);
    }
    const key = optionsKey(options);
    const cacheKey = key === null ? null : `${kind}:${name}:${key}`;
    if (cacheKey) {
      const existing = this.#instances.get(cacheKey);
      if (existing) return existing as F;
    }
    const parsed = parseOptions(featureClass.optionsSchema, options ?? {}, `${kindLabel[kind]} '${name}'`);
    const instance = new featureClass(this, parsed, name) as F;
    if (cacheKey) this.#instances.set(cacheKey, instance);
    this.track({
      label: `${kindLabel[kind]} ${name}`,
      openResources: () => (instance.isDisposed ? [] : instance.openResources()),
      dispose: () => instance.dispose(),
    });
    return instance;
  }
}
