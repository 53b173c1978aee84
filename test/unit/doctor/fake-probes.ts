import type { DoctorProbes } from '../../../sandbox-server/src/doctor/types.ts';

/** A machine where everything is healthy; tests override the part they break. */
export function healthyProbes(overrides: Partial<DoctorProbes> = {}): DoctorProbes {
  return {
    isRoot: () => true,
    which: (program) => `/usr/bin/${program}`,
    engine: async () => ({
      pid: 42,
      answering: true,
      version: '20.10.24',
      userns: true,
      logFile: '/var/lib/handson/logs/dockerd.log',
    }),
    engineLogTail: () => '',
    registry: async () => [
      { address: '127.0.0.1', port: 5480, answering: true },
      { address: '10.77.0.1', port: 5480, answering: true },
    ],
    packageRepository: async () => [
      { address: '127.0.0.1', port: 5481, answering: true },
      { address: '10.77.0.1', port: 5481, answering: true },
    ],
    packageRepositoryServes: async () => true,
    fromBridge: async (urls) => ({
      results: urls.map((url) => ({ url, answered: true, output: 'rc=0' })),
    }),
    mirrorWrites: async () => ({ push: 405, delete: 405 }),
    missingRegistryImages: async () => ({ expected: 9, missing: [] }),
    missingEngineImages: async () => ({ expected: 1, missing: [] }),
    cgroup: () => ({
      version: 1,
      controllers: ['cpu', 'cpuset', 'memory', 'pids', 'devices'],
      memoryCap: 8 * 1024 ** 3,
    }),
    exists: () => true,
    capabilityBoundingSet: () => 0x1ffffffffffn,
    sysctl: (name) =>
      ({
        'fs.inotify.max_user_instances': 65536,
        'fs.inotify.max_user_watches': 4194304,
        'kernel.keys.maxkeys': 20000,
        'kernel.keys.maxbytes': 2000000,
      })[name],
    freeBytes: () => 50 * 1024 ** 3,
    diskPool: () => ({
      mountPoint: '/var/lib/handson/disk-pool',
      sizeBytes: 40 * 1024 ** 3,
      freeBytes: 30 * 1024 ** 3,
    }),
    ...overrides,
  };
}
