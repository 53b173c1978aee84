import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { stringify } from 'yaml';
import type { HandsonConfig } from '../config.ts';
import {
  ensureListeners,
  type Listener,
  type ListenerStatus,
  listenAddresses,
  servicePaths,
  statusListeners,
  stopListeners,
  writeIfChanged,
} from './http-service.ts';

/**
 * The local image registry (Debian's `docker-registry`, i.e. distribution 2.x) that every
 * sandbox's inner engine uses as its Docker Hub mirror. Two processes share one filesystem
 * storage: one on loopback (writable: `handson images` pushes there), one on the sandbox
 * bridge's gateway (read-only: a learner must never push over or delete an image the class
 * pulls).
 */

export const REGISTRY_BINARY = '/usr/bin/docker-registry';

/**
 * The distribution config for one listener: no auth, shared storage and secret. The gateway's
 * listener is what sandboxes reach, so it is read-only (every push and delete answers 405) with
 * deletes off; only the loopback one, which the host alone reaches, writes.
 *
 * @example
 * registryConfig(cfg, { id: 'gateway', address: '10.77.0.1' }, secret).storage.maintenance.readonly
 * // { enabled: true }
 */
export function registryConfig(
  cfg: HandsonConfig,
  listener: Pick<Listener, 'id' | 'address'>,
  secret: string,
) {
  const writable = listener.id === 'loopback';
  return {
    version: 0.1,
    log: { level: 'info', fields: { service: 'registry' } },
    storage: {
      filesystem: { rootdirectory: cfg.registry.dataDir },
      delete: { enabled: writable },
      // No in-memory blob cache: two processes share the storage, and a stale cache in one
      // would hide a blob the other just received.
      maintenance: writable
        ? { uploadpurging: { enabled: true, age: '24h', interval: '12h', dryrun: false } }
        : // A read-only instance must not purge the writer's uploads in progress either.
          { uploadpurging: { enabled: false }, readonly: { enabled: true } },
    },
    // The same secret in both processes, so an upload started on one could finish on the other.
    http: {
      addr: `${listener.address}:${cfg.registry.port}`,
      secret,
      headers: { 'X-Content-Type-Options': ['nosniff'] },
    },
  };
}

function registrySecret(cfg: HandsonConfig): string {
  const file = path.join(cfg.home, 'services', 'registry-secret');
  try {
    return fs.readFileSync(file, 'utf8').trim();
  } catch {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const secret = crypto.randomBytes(24).toString('hex');
    fs.writeFileSync(file, `${secret}\n`, { mode: 0o600 });
    return secret;
  }
}

/** The registry's listeners (loopback and gateway), with their process specs. */
export function registryListeners(cfg: HandsonConfig): Listener[] {
  return listenAddresses(cfg).map(({ id, address }) => {
    const configFile = path.join(cfg.home, 'services', `registry-${cfg.registry.port}-${id}.yml`);
    return {
      id,
      address,
      port: cfg.registry.port,
      probeUrl: `http://${address}:${cfg.registry.port}/v2/`,
      spec: {
        name: `registry (${address}:${cfg.registry.port})`,
        command: REGISTRY_BINARY,
        args: ['serve', configFile],
        signature: configFile,
        ...servicePaths(cfg, 'registry', id, cfg.registry.port),
      },
    };
  });
}

/**
 * Start the registry on loopback and the gateway unless it runs; wait until `/v2/` answers.
 *
 * @example
 * await ensureRegistry(loadConfig());
 * await fetch('http://127.0.0.1:5480/v2/_catalog');
 */
export async function ensureRegistry(cfg: HandsonConfig): Promise<ListenerStatus[]> {
  if (!fs.existsSync(REGISTRY_BINARY)) {
    throw new Error(
      `${REGISTRY_BINARY} is missing. Install it with \`apt-get install -y docker-registry\` or run \`npx handson doctor --fix\`.`,
    );
  }
  fs.mkdirSync(cfg.registry.dataDir, { recursive: true });
  const secret = registrySecret(cfg);
  const listeners = registryListeners(cfg);
  for (const l of listeners) {
    if (writeIfChanged(l.spec.args[1]!, stringify(registryConfig(cfg, l, secret)))) {
      // A process adopted with its old config would keep it (e.g. a gateway that still writes).
      await stopListeners([l]);
    }
  }
  return ensureListeners(cfg, 'registry', listeners);
}

/**
 * Restart the gateway's registry (the one sandboxes reach) with the config this version writes:
 * a process that runs with settings it read earlier (one that still takes pushes) gets the
 * current ones. The loopback one, which the host pushes to, keeps running.
 *
 * @example
 * await restartGatewayRegistry(loadConfig()); // both listeners answer, the gateway read-only
 */
export async function restartGatewayRegistry(cfg: HandsonConfig): Promise<ListenerStatus[]> {
  await stopListeners(registryListeners(cfg).filter((l) => l.id === 'gateway'));
  return ensureRegistry(cfg);
}

/** Stop both registry processes; returns those that were running. */
export function stopRegistry(cfg: HandsonConfig): Promise<ListenerStatus[]> {
  return stopListeners(registryListeners(cfg));
}

/** Whether each registry process runs and answers `/v2/`. */
export function registryStatus(cfg: HandsonConfig): Promise<ListenerStatus[]> {
  return statusListeners(registryListeners(cfg));
}

/** The registry's base URL on loopback, e.g. `http://127.0.0.1:5480`. */
export function registryLoopbackUrl(cfg: HandsonConfig): string {
  return `http://127.0.0.1:${cfg.registry.port}`;
}
