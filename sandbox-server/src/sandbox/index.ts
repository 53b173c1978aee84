import type { HandsonConfig } from '../config.ts';
import { DindDriver } from './dind/index.ts';
import type { DriverName, SandboxDriver } from './driver.ts';
import { HostDriver } from './host/host-driver.ts';

export { DindDriver } from './dind/index.ts';
export type * from './driver.ts';
export { HostDriver } from './host/host-driver.ts';
export { POOL_SESSION, WarmPool, type WarmPoolOptions } from './warm-pool.ts';

/**
 * The sandbox driver named on the command line (`handson serve --driver dind|host`).
 * Call `preflight()` on it before serving.
 *
 * @example
 * const driver = createDriver('dind', loadConfig());
 * await driver.preflight();
 */
export function createDriver(name: DriverName, cfg: HandsonConfig): SandboxDriver {
  switch (name) {
    case 'dind':
      return new DindDriver(cfg);
    case 'host':
      return new HostDriver(cfg);
    default:
      throw new Error(`Unknown sandbox driver "${String(name)}"; use "dind" or "host".`);
  }
}
