import fs from 'node:fs';
import { runVisible } from '../doctor/fix-actions.ts';

/** A Debian package the cluster needs, and how to tell it is installed. */
export interface NeededPackage {
  name: string;
  installed: () => boolean;
}

export const CLUSTER_PACKAGES: NeededPackage[] = [
  { name: 'haproxy', installed: () => fs.existsSync('/usr/sbin/haproxy') },
  {
    name: 'postgresql',
    installed: () => {
      try {
        return fs
          .readdirSync('/usr/lib/postgresql')
          .some((v) => fs.existsSync(`/usr/lib/postgresql/${v}/bin/initdb`));
      } catch {
        return false;
      }
    },
  },
];

/**
 * Install with apt whichever of `packages` is missing (as `handson setup` does: root only);
 * returns the names installed. Without root, throws the command to run.
 *
 * @example
 * await ensureDebianPackages(CLUSTER_PACKAGES); // [] when both are there
 */
export async function ensureDebianPackages(packages: NeededPackage[]): Promise<string[]> {
  const missing = packages.filter((p) => !p.installed()).map((p) => p.name);
  if (missing.length === 0) return [];
  if (process.getuid?.() !== 0) {
    throw new Error(
      `handson cluster needs ${missing.join(' and ')}. Install with: sudo apt-get install -y --no-install-recommends ${missing.join(' ')}`,
    );
  }
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  await runVisible('apt-get', ['update'], env);
  await runVisible('apt-get', ['install', '-y', '--no-install-recommends', ...missing], env);
  return missing;
}
