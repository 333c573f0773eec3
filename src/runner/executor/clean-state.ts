import { openSync, readFileSync, readSync } from 'node:fs';
import { createRequire } from 'node:module';
import { getPriority } from 'node:os';

// What a doc may change in the process that runs it, and whether the executor
// got it back as it was. The executor takes the next doc only when it did:
// otherwise it is replaced (DESIGN.md, "Running a doc", item 2).

const nodeRequire = createRequire(import.meta.url);

// The check runs after the doc, through what the doc may have patched: it uses
// only functions taken here, before any doc ran, and syntax (a doc that replaced
// Array.prototype.push once made it report nothing, and its executor was reused).
const { ownKeys, getOwnPropertyDescriptor, defineProperty, deleteProperty } = Reflect;
const { is } = Object;
const toText = String;

/** An object's own properties as they were: its keys in order, and each descriptor by key. */
interface Print {
  object: object;
  keys: PropertyKey[];
  byKey: Record<PropertyKey, PropertyDescriptor>;
}

// The intrinsics and host objects docs (and packages they import) most often patch.
function watchedObjects(): object[] {
  const typedArray = Object.getPrototypeOf(Uint8Array.prototype) as object;
  const objects: object[] = [
    Object, Object.prototype, Function.prototype, Array, Array.prototype, String, String.prototype, Number.prototype,
    Boolean.prototype, Symbol, Symbol.prototype, BigInt.prototype, Promise, Promise.prototype, RegExp.prototype, Date, Date.prototype,
    Error, Error.prototype, TypeError.prototype, RangeError.prototype, SyntaxError.prototype, Map.prototype, Set.prototype,
    WeakMap.prototype, WeakSet.prototype, JSON, Math, Reflect, ArrayBuffer.prototype, typedArray, Uint8Array.prototype,
    Buffer, Buffer.prototype, process, console, URL.prototype,
  ];
  for (const name of ['node:fs', 'node:path', 'node:child_process', 'node:util', 'node:events', 'node:timers', 'node:module']) {
    objects.push(nodeRequire(name) as object);
  }
  objects.push((nodeRequire('node:events') as { prototype: object }).prototype);
  return objects;
}

// process keeps its own bookkeeping in `_`-prefixed properties (listener counts, exit state).
function watchedKeys(object: object): PropertyKey[] {
  const all = ownKeys(object);
  if (object !== process) return all;
  const kept: PropertyKey[] = [];
  for (let i = 0; i < all.length; i++) if (typeof all[i] !== 'string' || (all[i] as string)[0] !== '_') kept[kept.length] = all[i]!;
  return kept;
}

function printOf(object: object): Print {
  const keys = watchedKeys(object);
  const byKey = { __proto__: null } as unknown as Record<PropertyKey, PropertyDescriptor>;
  for (let i = 0; i < keys.length; i++) byKey[keys[i]!] = getOwnPropertyDescriptor(object, keys[i]!)!;
  return { object, keys, byKey };
}

function sameDescriptor(a: PropertyDescriptor, b: PropertyDescriptor | undefined): boolean {
  return b !== undefined && is(a.value, b.value) && a.get === b.get && a.set === b.set && a.writable === b.writable;
}

function describe(object: object, key: PropertyKey): string {
  if (object === globalThis) return toText(key);
  const name = (object as { name?: unknown }).name ?? (object as { constructor?: { name?: unknown } }).constructor?.name;
  return `${typeof name === 'string' && name ? name : 'a built-in object'}.${toText(key)}`;
}

// The first difference between an object's properties now and in its print.
function intrinsicChange({ object, keys: before, byKey }: Print): string | undefined {
  const keys = watchedKeys(object);
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i]!;
    if (!(key in byKey)) return `${describe(object, key)} was added`;
    if (!sameDescriptor(byKey[key]!, getOwnPropertyDescriptor(object, key))) return `${describe(object, key)} was replaced`;
  }
  if (keys.length === before.length) return undefined;
  for (let i = 0; i < before.length; i++) if (!getOwnPropertyDescriptor(object, before[i]!)) return `${describe(object, before[i]!)} was removed`;
  return undefined;
}

/** The process as it was before any doc: intrinsics and global names. */
export class ProcessBaseline {
  readonly #intrinsics: Print[] = watchedObjects().map(printOf);
  readonly #globals = printOf(globalThis);
  // Block marks depend on these (see BlockMarks); a doc that replaced one leaves the executor unusable.
  readonly #writes = { stdout: process.stdout.write, stderr: process.stderr.write };

  /**
   * Puts global names back as they were (a doc's own names removed, replaced
   * built-ins restored) and returns what could not be: patched intrinsics,
   * names that cannot be deleted.
   */
  restore(): string[] {
    const problems: string[] = [];
    const { keys, byKey } = this.#globals;
    const now = ownKeys(globalThis);
    for (let i = 0; i < now.length; i++) {
      const key = now[i]!;
      const descriptor = getOwnPropertyDescriptor(globalThis, key)!;
      const before = key in byKey ? byKey[key] : undefined;
      if (before && sameDescriptor(before, descriptor)) continue;
      if (!descriptor.configurable) problems[problems.length] = `the global ${toText(key)} cannot be removed`;
      else if (before) defineProperty(globalThis, key, before);
      else deleteProperty(globalThis, key);
    }
    for (let i = 0; i < keys.length; i++) {
      if (!getOwnPropertyDescriptor(globalThis, keys[i]!)) defineProperty(globalThis, keys[i]!, byKey[keys[i]!]!);
    }
    if (process.stdout.write !== this.#writes.stdout) problems[problems.length] = 'process.stdout.write was replaced';
    if (process.stderr.write !== this.#writes.stderr) problems[problems.length] = 'process.stderr.write was replaced';
    for (let i = 0; i < this.#intrinsics.length; i++) {
      const change = intrinsicChange(this.#intrinsics[i]!);
      if (change) problems[problems.length] = change;
    }
    return problems;
  }
}

/** What a doc may leave in the process's own state: environment, working folder, process listeners. */
export interface DocStateSnapshot {
  env: Record<string, string | undefined>;
  cwd: string;
  /** Who the process is and how it creates files: a doc that changes these leaves the executor unusable. */
  identity: string;
  listeners: Map<string | symbol, Function[]>;
  resources: Map<string, number>;
}

const identityLines = /^(?:Uid|Gid|Groups|Umask):.*$/gm;
const statusPath = '/proc/self/status';
const status = { fd: undefined as number | undefined, buffer: Buffer.alloc(4096) };
const readStatusByPath = (): string => readFileSync(statusPath, 'latin1');

// Read after every doc: kept open and read from its start (the kernel writes the text anew for each
// read) rather than opened each time, ~4x cheaper here. A doc that closed the descriptor gets it reopened.
function readStatus(): string {
  try {
    status.fd ??= openSync(statusPath, 'r');
    return status.buffer.toString('latin1', 0, readSync(status.fd, status.buffer, 0, status.buffer.length, 0));
  } catch {
    status.fd = undefined;
    return readStatusByPath();
  }
}

// uid, gid, groups and umask from /proc (process.umask() without an argument is deprecated), and the priority.
function processIdentity(read: () => string = readStatus): string {
  let lines = '';
  try {
    lines = (read().match(identityLines) ?? []).join('\n');
  } catch {
    lines = `${process.getuid?.()} ${process.getgid?.()}`;
  }
  return `${lines}\npriority ${getPriority()}`;
}

/** Why the process is not the one the doc got (uid, gid, groups, umask, priority changed), or undefined. */
export function identityChange(before: DocStateSnapshot): string | undefined {
  const now = processIdentity();
  if (now === before.identity) return undefined;
  const byPath = processIdentity(readStatusByPath);
  // The kept descriptor read another file: a doc closed it and opened one that got its number.
  // That number is let go of, not closed: it is the doc's.
  if (byPath !== now) status.fd = undefined;
  return byPath === before.identity ? undefined : 'the doc changed the process’s user, group, umask or priority';
}

// Requests, not handles: writes still queued on a pipe or socket (the executor's
// own messages and output when the supervisor reads slowly: a doc of 1000 blocks
// on a busy machine showed 1443 of them). A doc's socket is counted by its handle.
const transientRequests = new Set(['SimpleWriteWrap', 'WriteWrap', 'ShutdownWrap']);

function countResources(): Map<string, number> {
  const counts = new Map<string, number>();
  for (const type of process.getActiveResourcesInfo()) if (!transientRequests.has(type)) counts.set(type, (counts.get(type) ?? 0) + 1);
  return counts;
}

// An executor whose identity a doc changed is replaced (see identityChange), so
// every doc an executor runs starts from the identity it had at its first: read once.
let startIdentity: string | undefined;
// Each doc's environment is put back when it closes (restoreDocState), so every doc starts from the first one's: copied once.
let startEnv: Record<string, string | undefined> | undefined;

export function snapshotDocState(): DocStateSnapshot {
  const listeners = new Map<string | symbol, Function[]>();
  for (const name of process.eventNames()) listeners.set(name, process.rawListeners(name) as Function[]);
  startIdentity ??= processIdentity();
  startEnv ??= { ...process.env };
  return { env: startEnv, cwd: process.cwd(), identity: startIdentity, listeners, resources: countResources() };
}

/** Sets env, cwd and process listeners back as they were (a doc may change them; the effect ends with the doc). */
export function restoreDocState(snapshot: DocStateSnapshot): void {
  if (process.cwd() !== snapshot.cwd) process.chdir(snapshot.cwd);
  for (const key of Object.keys(process.env)) if (!(key in snapshot.env)) delete process.env[key];
  for (const [key, value] of Object.entries(snapshot.env)) if (process.env[key] !== value) process.env[key] = value;
  for (const name of process.eventNames()) {
    const kept = snapshot.listeners.get(name) ?? [];
    for (const listener of process.rawListeners(name) as Function[]) {
      if (!kept.includes(listener)) process.removeListener(name, listener as (...args: unknown[]) => void);
    }
  }
}

const nouns: Record<string, string> = {
  TCPServerWrap: 'server',
  PipeServerWrap: 'server',
  TCPSocketWrap: 'socket',
  TCPWrap: 'socket',
  PipeWrap: 'pipe',
  UDPWrap: 'socket',
  Timeout: 'timer',
  Immediate: 'immediate',
  ProcessWrap: 'process',
  FSEventWrap: 'file watcher',
  StatWatcher: 'file watcher',
  SignalWrap: 'signal handler',
  TTYWrap: 'terminal handle',
};

// Taken at load, before any doc could replace the global.
const nextTurn = setImmediate;

/**
 * Handles that are open now and were not before the doc's first block: one noun
 * each. A closed server's handle is only gone once libuv's close callbacks have
 * run, a loop turn after `server.close(cb)` calls back; so a count above the
 * baseline is taken again two turns later before anything is called left over.
 */
export async function leftoverResources(before: DocStateSnapshot): Promise<string[]> {
  if (extraResources(before).length === 0) return [];
  for (let turn = 0; turn < 2; turn++) await new Promise<void>((resolve) => nextTurn(resolve));
  return extraResources(before);
}

/** True when the doc left something that may still call back: a timer, an immediate, a request under way (a file read, a DNS lookup), a handle. */
export function leftPending(before: DocStateSnapshot): boolean {
  return extraResources(before).length > 0;
}

function extraResources(before: DocStateSnapshot): string[] {
  const left: string[] = [];
  for (const [type, count] of countResources()) {
    const extra = count - (before.resources.get(type) ?? 0);
    for (let i = 0; i < extra; i++) left.push(nouns[type] ?? type);
  }
  return left;
}
