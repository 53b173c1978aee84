import { open } from 'node:fs/promises';
import type { RemappedRoot } from './remap.ts';
import { run } from './run.ts';

/**
 * Make `file` a sparse, `bytes`-long ext4 filesystem whose root belongs to the remapped root.
 *
 * @example
 * await formatDisk('/var/lib/handson/disks/a1b2.ext4', 4 * 2 ** 30, { uid: 100000, gid: 100000 });
 */
export async function formatDisk(
  file: string,
  bytes: number,
  owner: RemappedRoot,
  opts: { background?: boolean } = {},
): Promise<void> {
  // Sized here rather than by `truncate`: one program fewer to start.
  const handle = await open(file, 'w', 0o600);
  try {
    await handle.truncate(bytes);
  } finally {
    await handle.close();
  }
  // Lazy init keeps mkfs at ~30 ms; root_owner makes the filesystem root the sandbox's root.
  const mkfs = [
    'mkfs.ext4',
    '-q',
    '-F',
    '-m',
    '0',
    '-E',
    `root_owner=${owner.uid}:${owner.gid},lazy_itable_init=1,lazy_journal_init=1`,
    file,
  ];
  // A spare made in the background yields the CPU to the sandbox that is booting meanwhile.
  const [cmd, ...args] = opts.background ? ['nice', '-n', '19', ...mkfs] : mkfs;
  await run(cmd!, args);
}
