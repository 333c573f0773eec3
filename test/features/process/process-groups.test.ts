import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Container } from '../../../src/container/container.js';
import { createContainer } from '../../../src/features/create-container.js';
import { killAllTrackedProcessGroups, observeProcessGroups, trackedProcessGroups } from '../../../src/features/process/process-groups.js';
import type { ProcessManager } from '../../../src/features/process/process-manager.js';
import { processesWith, uniqueMarker, waitUntil } from '../helpers/processes.js';

let container: Container;
beforeEach(() => {
  container = createContainer();
});
afterEach(async () => {
  await container.dispose();
});

describe('process group registry', () => {
  it('tracks each child group while it lives, tells observers, and killAllTrackedProcessGroups kills them synchronously', async () => {
    const seen: number[][] = [];
    const stop = observeProcessGroups((pgids) => seen.push(pgids));
    const pm = container.feature<ProcessManager>('processManager');
    const marker = uniqueMarker();
    const handle = pm.spawn('sh', ['-c', `sleep ${marker} & sleep ${marker}`]);
    expect(trackedProcessGroups()).toContain(handle.pid);
    expect(seen.at(-1)).toContain(handle.pid);
    await waitUntil(() => processesWith(marker).length >= 2);
    expect(killAllTrackedProcessGroups()).toBe(1);
    expect(trackedProcessGroups()).toEqual([]);
    expect(seen.at(-1)).toEqual([]);
    expect(await handle.await()).toBe(null);
    expect(handle.signal).toBe('SIGKILL');
    await waitUntil(() => processesWith(marker).length === 0);
    stop();
  });

  it('forgets a group once its process has ended', async () => {
    const pm = container.feature<ProcessManager>('processManager');
    const handle = pm.spawn('true');
    await handle.await();
    await waitUntil(() => !trackedProcessGroups().includes(handle.pid!), 2000, 'the group to be forgotten');
  });

  it('does not track children of a manager without autoCleanup', async () => {
    const pm = container.feature<ProcessManager>('processManager', { autoCleanup: false });
    const handle = pm.spawn('sleep', ['5']);
    expect(trackedProcessGroups()).not.toContain(handle.pid);
    handle.kill('SIGKILL');
    await handle.await();
  });
});
