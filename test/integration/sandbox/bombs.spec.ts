import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../sandbox-server/src/config.ts';
import {
  DEFAULT_CPU_PRIORITY,
  keepCpuFair,
} from '../../../sandbox-server/src/sandbox/dind/cpu-priority.ts';
import type { DindDriver } from '../../../sandbox-server/src/sandbox/dind/dind-driver.ts';
import { DEFAULT_LIMITS } from '../../../sandbox-server/src/sandbox/dind/profile.ts';
import type { Sandbox } from '../../../sandbox-server/src/sandbox/driver.ts';
import { dindDriver, sh } from './support.ts';

/**
 * Bombs: each runs in a throwaway sandbox with small limits and must stay inside it, while a
 * neighbour sandbox's `docker ps` keeps answering.
 */

const SMALL = { pids: 200, memoryBytes: 256 * 1024 ** 2, diskBytes: 512 * 1024 ** 2 };

describe('bombs stay inside their sandbox', () => {
  let driver: DindDriver;
  let neighbour: Sandbox;

  const victim = async (name: string) => {
    const sandbox = await driver.create({ sessionId: `spec-bomb-${name}`, limits: SMALL });
    await sandbox.ready(AbortSignal.timeout(60_000));
    return sandbox;
  };
  const neighbourAnswers = async () => {
    const started = Date.now();
    const res = await neighbour.exec(['docker', 'ps', '-q'], { timeoutMs: 10_000 });
    return { exitCode: res.exitCode, ms: Date.now() - started };
  };
  /** A v1 cgroup file of a sandbox container, read on the host. */
  const cgroupFile = async (sandbox: Sandbox, controller: string, file: string) => {
    const info = await driver.docker.getContainer(driver.containerName(sandbox.id)).inspect();
    const lines = (await readFile(`/proc/${info.State.Pid}/cgroup`, 'utf8')).split('\n');
    const rel = lines.find((l) => l.split(':')[1] === controller)!.split(':')[2];
    return (await readFile(`/sys/fs/cgroup/${controller}${rel}/${file}`, 'utf8')).trim();
  };

  beforeAll(async () => {
    driver = await dindDriver();
    neighbour = await driver.create({ sessionId: 'spec-bomb-neighbour' });
    await neighbour.ready(AbortSignal.timeout(60_000));
  });
  afterAll(async () => {
    if (neighbour) await driver.destroy(neighbour.id);
  });

  it('a fork bomb hits the pids limit', async () => {
    const bomb = await victim('fork');
    try {
      expect(await cgroupFile(bomb, 'pids', 'pids.max')).toBe('200');
      // One CPU at most, however many processes churn; all sandboxes weigh half a host process.
      expect(await cgroupFile(bomb, 'cpu', 'cpu.cfs_quota_us')).toBe(
        await cgroupFile(bomb, 'cpu', 'cpu.cfs_period_us'),
      );
      expect((await readFile('/sys/fs/cgroup/cpu/handson/cpu.shares', 'utf8')).trim()).toBe('512');
      void bomb
        .exec(['bash', '-c', 'f() { f | f & }; f'], { timeoutMs: 20_000 })
        .catch(() => undefined);
      await expect
        .poll(async () => Number(await cgroupFile(bomb, 'pids', 'pids.current')), {
          timeout: 20_000,
        })
        .toBeGreaterThanOrEqual(190);
      expect(Number(await cgroupFile(bomb, 'pids', 'pids.current'))).toBeLessThanOrEqual(200);
      expect(await neighbourAnswers()).toMatchObject({ exitCode: 0 });
    } finally {
      await driver.destroy(bomb.id);
    }
  });

  it('a CPU burner weighs less than its neighbour while it burns, and as much again after', async () => {
    const burner = await victim('cpu');
    const fair = new AbortController();
    const keeping = keepCpuFair(
      loadConfig().engine.cgroupParent,
      DEFAULT_LIMITS.cpuShares,
      fair.signal,
      {
        ...DEFAULT_CPU_PRIORITY,
        intervalMs: 250,
      },
    );
    try {
      const shares = (sandbox: Sandbox) => cgroupFile(sandbox, 'cpu', 'cpu.shares');
      expect(await shares(burner)).toBe('1024');
      void burner
        .exec(
          ['bash', '-c', 'for i in 1 2 3 4; do (until [ -e /tmp/stop ]; do :; done) & done; wait'],
          {
            timeoutMs: 120_000,
          },
        )
        .catch(() => undefined);
      await expect.poll(() => shares(burner), { timeout: 60_000 }).toBe('64');
      expect(await shares(neighbour)).toBe('1024');
      expect(await neighbourAnswers()).toMatchObject({ exitCode: 0 });
      await burner.exec(['touch', '/tmp/stop'], { timeoutMs: 20_000 });
      await expect.poll(() => shares(burner), { timeout: 60_000 }).toBe('1024');
    } finally {
      fair.abort();
      await keeping;
      await driver.destroy(burner.id);
    }
  });

  it('a memory hog is OOM-killed inside its sandbox, which keeps running', async () => {
    const hog = await victim('memory');
    try {
      // tail keeps the last line in memory; /dev/zero has no newline, so that is 1 GiB of it.
      const res = await sh(
        hog,
        'head -c 1G /dev/zero | tail -n 1 >/dev/null; echo "exit=$?"',
        60_000,
      );
      expect(res.stdout, res.stderr).toBe('exit=137\n');
      // The kernel's own count of OOM kills in this sandbox's memory cgroup.
      expect(await cgroupFile(hog, 'memory', 'memory.oom_control')).toMatch(/oom_kill [1-9]/);
      expect((await hog.exec(['docker', 'ps', '-q'])).exitCode).toBe(0);
      expect(await neighbourAnswers()).toMatchObject({ exitCode: 0 });
    } finally {
      await driver.destroy(hog.id);
    }
  });

  it('filling the disk ends in ENOSPC inside; the inner engine and the neighbour keep working', async () => {
    const filler = await victim('disk');
    try {
      const res = await sh(
        filler,
        'dd if=/dev/zero of=/root/work/fill bs=1M count=1024 2>&1; echo "exit=$?"',
        60_000,
      );
      expect(res.stdout).toMatch(/No space left on device/);
      expect(res.stdout).toMatch(/exit=1/);
      const inner = await sh(filler, 'docker info --format "{{.Name}}"');
      expect(inner.stdout.trim()).toBe('handson');
      // Nothing to write outside the quota: the root filesystem is read-only.
      expect((await sh(filler, '(echo x > /usr/fill) 2>&1; echo "exit=$?"')).stdout).toMatch(
        /Read-only file system/,
      );
      expect(await neighbourAnswers()).toMatchObject({ exitCode: 0 });
    } finally {
      await driver.destroy(filler.id);
    }
  });
});
