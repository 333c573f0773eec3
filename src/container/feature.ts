import * as z from 'zod';
import type { Disposable } from './disposal.js';
import { Emitter, type AnyEvents, type EventMap } from './emitter.js';
import type { ContainerSettings } from './settings.js';
import { State } from './state.js';

/** A tool an assistant can call: the handler is the feature's method of the same name. */
export interface ToolDefinition {
  /** Written for a model: what the tool does and when to use it. */
  description: string;
  /** The tool's parameters; descriptions on fields are shown to the model. */
  schema: z.ZodObject<z.ZodRawShape>;
}

export type HelperKind = 'feature' | 'server' | 'client';

/** The whole of zod, as docs see it in `z`. */
export type Zod = typeof import('zod');

/**
 * What `container.feature(name)` gives, by name (likewise ServerTypes and
 * ClientTypes). Empty here, as the container knows no concrete feature: the
 * core features add themselves by declaration merging (features/index.ts), and
 * a project adds the ones its runbook.config registers the same way:
 * `declare module 'runbook' { interface FeatureTypes { myThing: MyThing } }`.
 */
export interface FeatureTypes {}
export interface ServerTypes {}
export interface ClientTypes {}

/** The container as a feature sees it (a `Container` is one): where it runs, and the helpers it may use. */
export interface FeatureHost {
  readonly settings: ContainerSettings;
  readonly utils: { uuid(): string };
  readonly z: Zod;
  readonly isDisposed: boolean;
  feature<K extends keyof FeatureTypes>(name: K, options?: object): FeatureTypes[K];
  feature<F extends Feature = Feature>(name: string, options?: object): F;
  server<K extends keyof ServerTypes>(name: K, options?: object): ServerTypes[K];
  server<F extends Feature = Feature>(name: string, options?: object): F;
  client<K extends keyof ClientTypes>(name: K, options?: object): ClientTypes[K];
  client<F extends Feature = Feature>(name: string, options?: object): F;
  /** Registers something to dispose with the doc; returns a function that untracks it. */
  track(disposable: Disposable): () => void;
}

export interface FeatureClass<F extends Feature = Feature> {
  new (container: FeatureHost, options: any, registeredName: string): F;
  /** The name docs use: `container.feature(name)`. */
  readonly featureName: string;
  readonly kind: HelperKind;
  readonly description: string;
  readonly optionsSchema: z.ZodType;
  readonly tools?: Record<string, ToolDefinition>;
  /** Guidance an assistant adds to its system prompt when it uses this feature. */
  readonly systemPromptGuidance?: string;
}

/** What every feature emits, besides its own events: `enabled` once enable() ran, `disposed` once dispose() ran. */
export type FeatureEvents = { enabled: []; disposed: [] };

/**
 * Base of every feature, server and client in a container: validated options,
 * observable state, events, and an idempotent enable/dispose lifecycle.
 * `Events` maps the feature's own event names to their listeners' arguments
 * (see EventMap); a feature that gives none has untyped events.
 */
export abstract class Feature<
  O extends object = Record<string, unknown>,
  S extends object = Record<string, unknown>,
  Events extends EventMap<Events> = AnyEvents,
> extends Emitter<Events & FeatureEvents> {
  static readonly featureName: string = 'feature';
  static readonly kind: HelperKind = 'feature';
  static readonly description: string = '';
  static readonly optionsSchema: z.ZodType = z.object({}).loose();

  readonly container: FeatureHost;
  readonly options: O;
  readonly state: State<S>;
  /** The name it was registered and created under. */
  readonly name: string;
  #enabled = false;
  #disposed = false;

  constructor(container: FeatureHost, options: O, registeredName: string) {
    super();
    this.container = container;
    this.options = options;
    this.name = registeredName;
    this.state = new State(this.initialState());
  }

  protected initialState(): S {
    return {} as S;
  }

  get isEnabled(): boolean {
    return this.#enabled;
  }

  get isDisposed(): boolean {
    return this.#disposed;
  }

  async enable(): Promise<this> {
    if (this.#enabled) return this;
    this.#enabled = true;
    await this.onEnable();
    this.#lifecycle().emit('enabled');
    return this;
  }

  /** Stops whatever the feature holds open. Safe to call more than once. */
  async dispose(): Promise<void> {
    if (this.#disposed) return;
    this.#disposed = true;
    try {
      await this.onDispose();
    } finally {
      this.#lifecycle().emit('disposed');
      this.removeAllListeners();
    }
  }

  // Every map has FeatureEvents, but TypeScript cannot see that through the open `Events` of this class.
  #lifecycle(): Emitter<FeatureEvents> {
    return this as Emitter<FeatureEvents>;
  }

  /**
   * What dispose() would have to clean up right now, one singular noun per open
   * thing (e.g. ['server'] or ['process', 'process']), for the doc's cleanup report.
   */
  openResources(): string[] {
    return [];
  }

  protected onEnable(): void | Promise<void> {}
  protected onDispose(): void | Promise<void> {}
}
