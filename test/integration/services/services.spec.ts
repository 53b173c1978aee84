import crypto from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { gatewayAddress, loadConfig } from '../../../sandbox-server/src/config.ts';
import { probeFromBridge } from '../../../sandbox-server/src/doctor/bridge-probe.ts';
import { engineClient, ensureEngine } from '../../../sandbox-server/src/engine/engine.ts';
import { expectedImages } from '../../../sandbox-server/src/images/catalog.ts';
import {
  ensurePackageRepository,
  packageRepositoryStatus,
  stopPackageRepository,
} from '../../../sandbox-server/src/services/package-repository.ts';
import { listenersOn } from '../../../sandbox-server/src/services/port-owner.ts';
import {
  ensureRegistry,
  registryStatus,
  stopRegistry,
} from '../../../sandbox-server/src/services/registry.ts';

const cfg = loadConfig();
const gw = gatewayAddress(cfg);
/** A second instance on other ports: started and stopped here without touching the shared one. */
const spare = loadConfig({
  ...process.env,
  HANDSON_REGISTRY_PORT: '5490',
  HANDSON_PACKAGES_PORT: '5491',
});

afterAll(async () => {
  await stopRegistry(spare);
  await stopPackageRepository(spare);
});

describe('the local registry', () => {
  it('answers /v2/ on loopback and on the sandbox gateway', async () => {
    await ensureRegistry(cfg);
    for (const host of ['127.0.0.1', gw]) {
      const res = await fetch(`http://${host}:${cfg.registry.port}/v2/`);
      expect(res.status).toBe(200);
    }
  });

  it('starts, reports and stops as two processes bound to exactly those addresses', async () => {
    const started = await ensureRegistry(spare);
    expect(started.map((l) => [l.address, l.answering])).toEqual([
      ['127.0.0.1', true],
      [gw, true],
    ]);
    expect(
      listenersOn(5490)
        .map((l) => l.address)
        .sort(),
    ).toEqual([gw, '127.0.0.1'].sort());
    const stopped = await stopRegistry(spare);
    expect(stopped.map((l) => l.pid)).toEqual(started.map((l) => l.pid));
    expect((await registryStatus(spare)).some((l) => l.answering)).toBe(false);
    expect(listenersOn(5490)).toEqual([]);
  });

  it('lists every image handson images pushes, once setup has run', async () => {
    const res = await fetch(`http://127.0.0.1:${cfg.registry.port}/v2/_catalog?n=1000`);
    const { repositories } = (await res.json()) as { repositories: string[] };
    const expected = expectedImages()
      .filter((i) => i.pushed)
      .map((i) => i.repository);
    expect(repositories).toEqual(expect.arrayContaining([...new Set(expected)]));
  });

  it('names the port and the process when its port is taken', async () => {
    const squatter = net.createServer();
    await new Promise<void>((resolve) => squatter.listen(5492, '127.0.0.1', resolve));
    try {
      const taken = loadConfig({ ...process.env, HANDSON_REGISTRY_PORT: '5492' });
      await expect(ensureRegistry(taken)).rejects.toThrow(
        new RegExp(`port 5492 on 127\\.0\\.0\\.1 is already taken by pid ${process.pid}`),
      );
    } finally {
      await new Promise<void>((resolve) => squatter.close(() => resolve()));
    }
  });
});

describe('the package repository', () => {
  it('serves its directory on loopback and on the sandbox gateway', async () => {
    await ensurePackageRepository(cfg);
    const name = `.handson-test-${crypto.randomUUID()}.txt`;
    const file = path.join(cfg.packages.dir, name);
    fs.writeFileSync(file, 'served\n');
    try {
      for (const host of ['127.0.0.1', gw]) {
        const res = await fetch(`http://${host}:${cfg.packages.port}/${name}`);
        expect(await res.text()).toBe('served\n');
      }
    } finally {
      fs.rmSync(file, { force: true });
    }
  });

  it('starts and stops on other ports without disturbing the shared one', async () => {
    const started = await ensurePackageRepository(spare);
    expect(started.every((l) => l.answering)).toBe(true);
    await stopPackageRepository(spare);
    expect((await packageRepositoryStatus(spare)).some((l) => l.answering)).toBe(false);
    expect((await packageRepositoryStatus(cfg)).every((l) => l.answering)).toBe(true);
  });
});

describe('from a container on the sandbox bridge', () => {
  it('the registry and the package repository answer on the gateway', async () => {
    await ensureEngine(cfg);
    await ensureRegistry(cfg);
    await ensurePackageRepository(cfg);
    const urls = [`http://${gw}:${cfg.registry.port}/v2/`, `http://${gw}:${cfg.packages.port}/`];
    const probe = await probeFromBridge(engineClient(cfg), cfg, urls);
    expect(probe.error).toBeUndefined();
    expect(probe.results.map((r) => [r.url, r.answered])).toEqual(urls.map((u) => [u, true]));
  });
});
