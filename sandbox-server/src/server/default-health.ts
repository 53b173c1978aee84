import type { HandsonConfig } from '../config.ts';
import type { DriverName } from '../sandbox/driver.ts';
import { type HealthCheck, httpCheck } from './healthz.ts';

/** What `/healthz` checks unless told otherwise: the engine, the registry and the package repository. */
export function defaultHealth(cfg: HandsonConfig, driver: DriverName): HealthCheck[] {
  const hostSocket = process.env.DOCKER_HOST?.startsWith('unix://')
    ? process.env.DOCKER_HOST.slice('unix://'.length)
    : '/var/run/docker.sock';
  return [
    httpCheck('engine', {
      url: 'http://engine/_ping',
      socketPath: driver === 'host' ? hostSocket : cfg.engine.socket,
    }),
    httpCheck('registry', { url: `http://127.0.0.1:${cfg.registry.port}/v2/` }),
    httpCheck('packages', { url: `http://127.0.0.1:${cfg.packages.port}/debian/Packages` }),
  ];
}
