import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { type FileHandle, open, readdir, rename, unlink } from 'node:fs/promises';

/**
 * Reading and writing the learner's files from the host, where the server is root. Below `base` every
 * name is the learner's to choose: `.handson` could be a symlink to the host's /etc, a history
 * file a FIFO that blocks a reader forever. So each step opens one name relative to the folder
 * opened before (through `/proc/self/fd/<fd>`) with O_NOFOLLOW, and only regular files are read
 * (opened O_NONBLOCK, checked with fstat). Hard links cannot lead out: the disk is its own
 * filesystem. What cannot be read safely counts as absent. A write goes to a fresh name
 * (O_CREAT|O_EXCL) and is renamed over the target, which replaces a symlink there instead of
 * following it.
 */

const DIR_FLAGS = constants.O_RDONLY | constants.O_DIRECTORY | constants.O_NOFOLLOW;
const FILE_FLAGS = constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK;
const NEW_FILE_FLAGS =
  constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW;

export interface FolderFile {
  name: string;
  data: Buffer;
}

/** Open `base/<folders…>` one name at a time; undefined when any step is missing or a link. */
async function openFolder(
  base: string,
  folders: readonly string[],
): Promise<FileHandle | undefined> {
  let dir = await open(base, DIR_FLAGS).catch(() => undefined);
  for (const name of folders) {
    if (!dir) return undefined;
    const next: FileHandle | undefined = await open(beneath(dir, name), DIR_FLAGS).catch(
      () => undefined,
    );
    await dir.close();
    dir = next;
  }
  return dir;
}

/**
 * The regular files directly in `base/<folders…>`, at most `maxBytes` in all (each file's
 * end is kept when over: history grows at the end). Missing folders give an empty list.
 *
 * @example
 * const files = await readFolderNoFollow('/run/handson/disks/ab12/root', ['.handson', 'history'], 4 << 20);
 */
export async function readFolderNoFollow(
  base: string,
  folders: readonly string[],
  maxBytes: number,
): Promise<FolderFile[]> {
  const dir = await openFolder(base, folders);
  if (!dir) return [];
  try {
    const names = (await readdir(`/proc/self/fd/${dir.fd}`)).sort();
    const files: FolderFile[] = [];
    let budget = maxBytes;
    for (const name of names) {
      if (budget <= 0) break;
      const data = await readRegularFile(beneath(dir, name), budget);
      if (!data) continue;
      files.push({ name, data });
      budget -= data.length;
    }
    return files;
  } finally {
    await dir.close().catch(() => undefined);
  }
}

/**
 * Replace `base/<folders…>/<name>` with `data` (mode 0644). Returns false, writing nothing, when
 * the folder is missing or not a real folder.
 *
 * @example
 * await writeFileNoFollow('/run/handson/disks/ab12/root', ['.handson', 'screens'], 'main', screen);
 */
export async function writeFileNoFollow(
  base: string,
  folders: readonly string[],
  name: string,
  data: string | Buffer,
): Promise<boolean> {
  const dir = await openFolder(base, folders);
  if (!dir) return false;
  const temp = beneath(dir, `.handson-${randomBytes(6).toString('hex')}.tmp`);
  try {
    const file = await open(temp, NEW_FILE_FLAGS, 0o644);
    try {
      await file.writeFile(data);
    } finally {
      await file.close();
    }
    await rename(temp, beneath(dir, name));
    return true;
  } catch (err) {
    await unlink(temp).catch(() => undefined);
    throw err;
  } finally {
    await dir.close().catch(() => undefined);
  }
}

function beneath(dir: FileHandle, name: string): string {
  if (name === '' || name === '.' || name === '..' || name.includes('/')) {
    throw new Error(`"${name}" is not a plain file name`);
  }
  return `/proc/self/fd/${dir.fd}/${name}`;
}

/** The last `maxBytes` of a regular file, or undefined when it is anything else. */
async function readRegularFile(file: string, maxBytes: number): Promise<Buffer | undefined> {
  const handle = await open(file, FILE_FLAGS).catch(() => undefined);
  if (!handle) return undefined;
  try {
    const stat = await handle.stat();
    if (!stat.isFile()) return undefined;
    const length = Math.min(stat.size, maxBytes);
    const data = Buffer.alloc(length);
    const { bytesRead } = await handle.read(data, 0, length, stat.size - length);
    const read = data.subarray(0, bytesRead);
    // A cut file starts at its first whole line.
    return length < stat.size ? read.subarray(read.indexOf(0x0a) + 1) : read;
  } finally {
    await handle.close();
  }
}
