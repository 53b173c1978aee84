import { describe, expect, it } from 'vitest';
import {
  checkEngine,
  checkFromBridge,
  checkImages,
  checkMirrorReadOnly,
  checkPackageRepository,
} from '../../../sandbox-server/src/doctor/checks-services.ts';
import { healthyProbes } from './fake-probes.ts';

const socket = '/run/handson/docker.sock';

describe('engine checks', () => {
  it('refuse an engine without user-namespace remapping, naming the danger', async () => {
    const probes = healthyProbes({
      engine: async () => ({
        pid: 7,
        answering: true,
        version: '20.10',
        userns: false,
        logFile: 'x',
      }),
    });
    const [engine, userns] = await checkEngine(probes, socket);
    expect(engine!.ok).toBe(true);
    expect(userns).toMatchObject({ name: 'engine userns', ok: false });
    expect(userns!.detail).toContain('root on the host');
  });

  it('ask for a restart when the engine runs with flags from an older handson', async () => {
    const probes = healthyProbes({
      engine: async () => ({
        pid: 7,
        answering: true,
        version: '20.10',
        userns: true,
        current: false,
        logFile: 'x',
      }),
    });
    const [engine, userns] = await checkEngine(probes, socket);
    expect(engine).toMatchObject({ ok: false, fix: 'start-engine' });
    expect(engine!.detail).toContain('settings from an older handson');
    expect(userns!.ok).toBe(true);
  });

  it('show the log tail and the likely cause when the engine does not answer', async () => {
    const probes = healthyProbes({
      engine: async () => ({
        pid: undefined,
        answering: false,
        logFile: '/var/lib/handson/logs/dockerd.log',
      }),
      engineLogTail: () =>
        'time="…" level=info msg="Starting up"\nfailed to start daemon: pid file found, ensure docker is not running or delete /run/handson/dockerd.pid',
    });
    const [engine] = await checkEngine(probes, socket);
    expect(engine).toMatchObject({ ok: false, fix: 'start-engine' });
    expect(engine!.detail).toContain('is not running');
    expect(engine!.detail).toContain('likely cause: a stale pidfile');
    expect(engine!.detail).toContain('pid file found');
  });
});

describe('package repository checks', () => {
  it('tell an empty repository (images not built) from a stopped one', async () => {
    const empty = await checkPackageRepository(
      healthyProbes({ packageRepositoryServes: async () => false }),
    );
    expect(empty.map((r) => [r.name, r.ok])).toEqual([
      ['package repository', true],
      ['package repository content', false],
    ]);
    expect(empty[1]!.fix).toBe('build-images');
  });
});

describe('reachability from the sandbox bridge', () => {
  it('says busybox is missing when the probe container cannot run', async () => {
    const result = await checkFromBridge(
      healthyProbes({
        fromBridge: async () => ({
          error: 'busybox is not in the local registry yet',
          results: [],
        }),
      }),
      ['http://10.77.0.1:5480/v2/'],
    );
    expect(result).toMatchObject({ ok: false, fix: 'build-images' });
    expect(result.detail).toContain('busybox is not in the local registry yet');
  });

  it('names each address a sandbox could not reach', async () => {
    const result = await checkFromBridge(
      healthyProbes({
        fromBridge: async (urls) => ({
          results: urls.map((url) => ({
            url,
            answered: !url.includes('5481'),
            output: 'wget: download timed out',
          })),
        }),
      }),
      ['http://10.77.0.1:5480/v2/', 'http://10.77.0.1:5481/debian/Packages'],
    );
    expect(result.ok).toBe(false);
    expect(result.detail).toContain(
      'http://10.77.0.1:5481/debian/Packages (wget: download timed out)',
    );
    expect(result.detail).not.toContain('5480/v2/');
  });
});

describe('the mirror as sandboxes see it', () => {
  it('passes when pushes and deletes are refused', async () => {
    const result = await checkMirrorReadOnly(healthyProbes(), '10.77.0.1:5480');
    expect(result).toMatchObject({ ok: true });
  });

  it('fails, naming what got through, when the gateway registry takes writes', async () => {
    const result = await checkMirrorReadOnly(
      healthyProbes({ mirrorWrites: async () => ({ push: 400, delete: 404 }) }),
      '10.77.0.1:5480',
    );
    expect(result).toMatchObject({ ok: false, fix: 'restart-registry' });
    expect(result.detail).toContain('a push (HTTP 400) or a delete (HTTP 404)');
  });

  it('fails when the probe container cannot run, and says how to get its image', async () => {
    const result = await checkMirrorReadOnly(
      healthyProbes({ mirrorWrites: async () => ({ error: 'no such image' }) }),
      '10.77.0.1:5480',
    );
    expect(result).toMatchObject({ ok: false, fix: 'build-images' });
  });
});

describe('image check', () => {
  it('lists every missing image, registry and engine alike', async () => {
    const result = await checkImages(
      healthyProbes({
        missingRegistryImages: async () => ({ expected: 3, missing: ['library/nginx:latest'] }),
        missingEngineImages: async () => ({ expected: 1, missing: ['handson/sandbox:latest'] }),
      }),
    );
    expect(result.ok).toBe(false);
    expect(result.detail).toBe(
      '2 of 4 images missing: library/nginx:latest, handson/sandbox:latest (on the engine)',
    );
  });
});
