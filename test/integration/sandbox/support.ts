import { existsSync } from 'node:fs';
import { loadConfig } from '../../../sandbox-server/src/config.ts';
import { DindDriver } from '../../../sandbox-server/src/sandbox/dind/dind-driver.ts';
import { diskPaths, loopDevicesOf } from '../../../sandbox-server/src/sandbox/dind/disk.ts';
import { networkName, sandboxNetwork } from '../../../sandbox-server/src/sandbox/dind/network.ts';
import type { Sandbox } from '../../../sandbox-server/src/sandbox/driver.ts';

/** A dind driver on the real sandbox engine, preflighted (userns, image, firewall). */
export async function dindDriver(): Promise<DindDriver> {
  const driver = new DindDriver(loadConfig());
  await driver.preflight();
  return driver;
}

/** Create a sandbox and wait for its inner engine. */
export async function bootSandbox(driver: DindDriver, sessionId: string): Promise<Sandbox> {
  const sandbox = await driver.create({ sessionId });
  await sandbox.ready(AbortSignal.timeout(60_000));
  return sandbox;
}

/** Run a shell snippet in a sandbox. */
export async function sh(sandbox: Sandbox, script: string, timeoutMs = 60_000) {
  return sandbox.exec(['sh', '-c', script], { timeoutMs });
}

/** Everything a sandbox leaves on the host and the engine, to prove destroy removed it all. */
export async function leftovers(driver: DindDriver, id: string): Promise<string[]> {
  const found: string[] = [];
  const cfg = loadConfig();
  const containers = await driver.docker.listContainers({
    all: true,
    filters: { name: [driver.containerName(id)] },
  });
  if (containers.length > 0) found.push('container');
  const volumes = await driver.docker.listVolumes({
    filters: { label: [`dev.handson.sandbox=${id}`] },
  });
  if ((volumes.Volumes ?? []).length > 0) found.push('volume');
  const networks = await driver.docker.listNetworks({ filters: { name: [networkName(id)] } });
  if (networks.length > 0) found.push('network');
  const disk = diskPaths(cfg, id);
  if (existsSync(disk.file)) {
    found.push('disk file');
    if ((await loopDevicesOf(disk.file)).length > 0) found.push('loop device');
  }
  if (existsSync(disk.mountPoint)) found.push('disk mount point');
  if (existsSync(driver.hostDir(id))) found.push('host directory');
  return found;
}

/** The sandbox's address on its own network (as other sandboxes would reach it). */
export async function sandboxAddress(driver: DindDriver, id: string): Promise<string> {
  return (await sandboxNetwork(driver.docker, id)).address;
}
