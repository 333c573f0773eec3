/**
 * The process groups of every child the process managers of this Node process
 * started with cleanup on, so they can be killed synchronously when Node exits
 * or is interrupted, even if no container got the chance to dispose.
 *
 * The registry lives on globalThis: a bundled copy and a source copy of this
 * module loaded in one process (tests, dist + plugins) must share it.
 */
const registryKey = Symbol.for('runbook.processManager.groups');
const hooksKey = Symbol.for('runbook.processManager.exitHooks');
const observersKey = Symbol.for('runbook.processManager.groupObservers');

type GroupsObserver = (pgids: number[]) => void;
type GlobalSlots = { [registryKey]?: Set<number>; [hooksKey]?: boolean; [observersKey]?: Set<GroupsObserver> };
const slots = globalThis as GlobalSlots;
const groups: Set<number> = (slots[registryKey] ??= new Set<number>());
const observers: Set<GroupsObserver> = (slots[observersKey] ??= new Set<GroupsObserver>());

function notify(): void {
  const pgids = [...groups];
  for (const observer of observers) observer(pgids);
}

/**
 * Calls `observer` with every tracked group id whenever the set changes. A
 * worker process can forward them to its parent, which can then kill them if
 * it has to SIGKILL the worker (no exit hook runs then). Returns an unsubscribe.
 */
export function observeProcessGroups(observer: GroupsObserver): () => void {
  observers.add(observer);
  return () => observers.delete(observer);
}

/** Sends `signal` to the whole group; false when the group no longer exists. */
export function signalGroup(pgid: number, signal: NodeJS.Signals | number): boolean {
  try {
    process.kill(-pgid, signal);
    return true;
  } catch (error) {
    // ESRCH: nobody left in the group. EPERM: the number now belongs to someone else.
    const code = (error as { code?: string }).code;
    if (code === 'ESRCH' || code === 'EPERM') return false;
    throw error;
  }
}

/** True while any process is left in the group (zombies included). */
export function groupExists(pgid: number): boolean {
  return signalGroup(pgid, 0);
}

export function trackGroup(pgid: number): void {
  groups.add(pgid);
  installExitHooks();
  notify();
}

export function isTrackedGroup(pgid: number): boolean {
  return groups.has(pgid);
}

export function untrackGroup(pgid: number): void {
  if (groups.delete(pgid)) notify();
}

/** The process group ids still tracked, e.g. for a worker to hand to its parent. */
export function trackedProcessGroups(): number[] {
  return [...groups];
}

/**
 * Kills every tracked process group at once (default SIGKILL) and forgets them.
 * Synchronous, so it is safe in a process 'exit' hook; the runner may call it
 * from its own signal handlers. Returns how many groups were still there.
 */
export function killAllTrackedProcessGroups(signal: NodeJS.Signals = 'SIGKILL'): number {
  let killed = 0;
  for (const pgid of groups) {
    if (signalGroup(pgid, signal)) killed++;
  }
  groups.clear();
  notify();
  return killed;
}

const forwardedSignals = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

// Kills the groups on interrupt, then keeps Node's own behaviour: when nobody
// else listens for the signal, Node would have died of it, so re-raise it.
function onSignal(signal: NodeJS.Signals): void {
  killAllTrackedProcessGroups();
  if (process.listenerCount(signal) > 1) return;
  for (const name of forwardedSignals) process.off(name, onSignal);
  process.kill(process.pid, signal);
}

function onExit(): void {
  killAllTrackedProcessGroups();
}

/** Installs the exit and signal hooks once per Node process. */
export function installExitHooks(): void {
  if (slots[hooksKey]) return;
  slots[hooksKey] = true;
  process.on('exit', onExit);
  for (const name of forwardedSignals) process.on(name, onSignal);
}
