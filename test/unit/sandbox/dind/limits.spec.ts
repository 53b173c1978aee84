import { describe, expect, it } from 'vitest';
import { sandboxLimits } from '../../../../sandbox-server/src/sandbox/dind/limits.ts';
import { userLimitsScript } from '../../../../sandbox-server/src/sandbox/dind/user-limits.ts';

describe('sandbox limits', () => {
  it('give every sandbox at most one CPU by default, with memory, pids and disk ceilings', () => {
    expect(sandboxLimits({})).toEqual({
      memoryBytes: 1024 ** 3,
      pids: 1024,
      cpuShares: 1024,
      cpus: 1,
      diskBytes: 4 * 1024 ** 3,
    });
  });

  it('come from the environment, sizes with units', () => {
    const limits = sandboxLimits({
      HANDSON_SANDBOX_CPUS: '0.5',
      HANDSON_SANDBOX_MEMORY: '512M',
      HANDSON_SANDBOX_PIDS: '300',
      HANDSON_SANDBOX_DISK: '2G',
    });
    expect(limits).toMatchObject({
      cpus: 0.5,
      memoryBytes: 512 * 1024 ** 2,
      pids: 300,
      diskBytes: 2 * 1024 ** 3,
    });
  });

  it("measure the CPU quota over a configured period (ms, 1–1000), else leave Docker's", () => {
    expect(sandboxLimits({ HANDSON_SANDBOX_CPU_PERIOD_MS: '10' }).cpuPeriodUs).toBe(10_000);
    expect(sandboxLimits({}).cpuPeriodUs).toBeUndefined();
    expect(() => sandboxLimits({ HANDSON_SANDBOX_CPU_PERIOD_MS: '2000' })).toThrow(/1–1000/);
  });

  it('refuse a value that is not a positive number or size, naming the variable', () => {
    expect(() => sandboxLimits({ HANDSON_SANDBOX_CPUS: '0' })).toThrow(/HANDSON_SANDBOX_CPUS=0/);
    expect(() => sandboxLimits({ HANDSON_SANDBOX_DISK: 'big' })).toThrow(/not a size/);
  });
});

describe('per-sandbox kernel bounds', () => {
  it('bound inotify and namespaces in the sandbox user namespace', () => {
    const script = userLimitsScript();
    expect(script).toContain('echo 128 > /proc/sys/user/max_inotify_instances');
    expect(script).toContain('echo 256 > /proc/sys/user/max_user_namespaces');
  });
});
