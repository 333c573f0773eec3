import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { isProcessAlive, readLockHolder, tryAcquireLock } from '../../../src/features/ipc/broker-lock.js';
import { IpcLab } from './ipc-children.js';

const lab = new IpcLab();
beforeAll(() => lab.build());
afterEach(() => lab.cleanup());
afterAll(() => lab.cleanup(true));

// A pid that surely belongs to nobody: a child we started and that has exited.
async function deadPid(): Promise<number> {
  const child = lab.lockContender(join(lab.tempDir(), 'unused.lock'));
  await child.waitFor((line) => line.text === 'won');
  child.kill('SIGKILL');
  await child.exited;
  return child.pid;
}

describe('broker lock', () => {
  it('is exclusive while its holder lives and free once released', () => {
    const path = join(lab.tempDir(), 'a.lock');
    const first = tryAcquireLock(path);
    expect(first).not.toBeNull();
    expect(readFileSync(path, 'utf8')).toBe(first!.token);
    expect(readLockHolder(path)).toBe(process.pid);
    expect(tryAcquireLock(path)).toBeNull();
    first!.release();
    expect(existsSync(path)).toBe(false);
    const second = tryAcquireLock(path);
    expect(second).not.toBeNull();
    second!.release();
  });

  it('leaves no temp files behind', () => {
    const dir = lab.tempDir();
    const lock = tryAcquireLock(join(dir, 'b.lock'));
    expect(tryAcquireLock(join(dir, 'b.lock'))).toBeNull();
    expect(readdirSync(dir)).toEqual(['b.lock']);
    lock!.release();
    expect(readdirSync(dir)).toEqual([]);
  });

  it('takes over a lock whose holder died', async () => {
    const path = join(lab.tempDir(), 'c.lock');
    const pid = await deadPid();
    expect(isProcessAlive(pid)).toBe(false);
    writeFileSync(path, `${pid} 00000000-dead`);
    const lock = tryAcquireLock(path);
    expect(lock).not.toBeNull();
    expect(readLockHolder(path)).toBe(process.pid);
    lock!.release();
  });

  it('never lets two processes break the same stale lock', async () => {
    const dir = lab.tempDir();
    const path = join(dir, 'race.lock');
    for (let round = 0; round < 3; round++) {
      writeFileSync(path, `${await deadPid()} stale-${round}`);
      const contenders = Array.from({ length: 6 }, () => lab.lockContender(path));
      const results = await Promise.all(contenders.map((child) => child.waitFor((line) => line.text === 'won' || line.text === 'lost')));
      expect(results.filter((line) => line.text === 'won')).toHaveLength(1);
      const winner = contenders[results.findIndex((line) => line.text === 'won')];
      expect(readLockHolder(path)).toBe(winner.pid);
      for (const child of contenders) child.process.stdin.end();
      await Promise.all(contenders.map((child) => child.exited));
      expect(existsSync(path)).toBe(false);
    }
  });
});
