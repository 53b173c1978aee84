import fs from 'node:fs';
import type { HandsonConfig } from '../config.ts';
import {
  ensureListeners,
  type Listener,
  type ListenerStatus,
  listenAddresses,
  servicePaths,
  statusListeners,
  stopListeners,
} from './http-service.ts';

/**
 * The local package repository: static HTTP of `cfg.packages.dir` (a flat apt repository under
 * `debian/`, root-filesystem tarballs under `rootfs/`, filled by `handson images`), served by
 * busybox's httpd on loopback and on the sandbox bridge's gateway.
 */

/** busybox-static first: it has httpd built in whatever the dynamic busybox was built with. */
export const BUSYBOX_CANDIDATES = ['/bin/busybox', '/usr/bin/busybox'];

export function findBusybox(): string | undefined {
  return BUSYBOX_CANDIDATES.find((file) => fs.existsSync(file));
}

/** The repository's listeners (loopback and gateway), with their process specs. */
export function packageRepositoryListeners(cfg: HandsonConfig): Listener[] {
  const busybox = findBusybox() ?? BUSYBOX_CANDIDATES[0]!;
  return listenAddresses(cfg).map(({ id, address }) => {
    const bind = `${address}:${cfg.packages.port}`;
    return {
      id,
      address,
      port: cfg.packages.port,
      probeUrl: `http://${bind}/`,
      spec: {
        name: `package repository (${bind})`,
        command: busybox,
        // -f: stay in the foreground so the pid we record is the server's.
        args: ['httpd', '-f', '-p', bind, '-h', cfg.packages.dir],
        signature: `httpd -f -p ${bind}`,
        ...servicePaths(cfg, 'packages', id, cfg.packages.port),
      },
    };
  });
}

/**
 * Serve `cfg.packages.dir` on loopback and the gateway unless already served; wait until it answers.
 *
 * @example
 * await ensurePackageRepository(loadConfig());
 * await fetch('http://127.0.0.1:5481/debian/Packages');
 */
export async function ensurePackageRepository(cfg: HandsonConfig): Promise<ListenerStatus[]> {
  if (!findBusybox()) {
    throw new Error(
      'busybox is missing (its httpd serves the package repository). Install it with `apt-get install -y busybox-static` or run `npx handson doctor --fix`.',
    );
  }
  fs.mkdirSync(cfg.packages.dir, { recursive: true });
  return ensureListeners(cfg, 'package repository', packageRepositoryListeners(cfg));
}

/** Stop both httpd processes; returns those that were running. */
export function stopPackageRepository(cfg: HandsonConfig): Promise<ListenerStatus[]> {
  return stopListeners(packageRepositoryListeners(cfg));
}

/** Whether each httpd runs and answers. */
export function packageRepositoryStatus(cfg: HandsonConfig): Promise<ListenerStatus[]> {
  return statusListeners(packageRepositoryListeners(cfg));
}
