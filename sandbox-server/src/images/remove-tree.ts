import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { runCommand } from './run-command.ts';

/**
 * Removes a root filesystem tree left by a killed run. debootstrap mounts /proc, /sys and
 * sometimes binds the host's /dev inside its target; a plain `rm -rf` would walk into them.
 * So mounts under `dir` are detached first and rm never crosses a filesystem boundary.
 *
 * @example
 * await removeTree('/var/lib/handson/cache/images/debootstrap-bookworm-x.tmp-123');
 */
export async function removeTree(dir: string): Promise<void> {
  const root = path.resolve(dir);
  const mounts = (await readFile('/proc/mounts', 'utf8'))
    .split('\n')
    .map((line) => line.split(' ')[1]?.replace(/\\040/g, ' '))
    .filter((point): point is string => !!point && (point === root || point.startsWith(`${root}/`)))
    .sort((a, b) => b.length - a.length);
  for (const point of mounts) await runCommand('umount', ['-l', point]);
  await runCommand('rm', ['-rf', '--one-file-system', root]);
}
