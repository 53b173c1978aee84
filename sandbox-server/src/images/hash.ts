import { createHash } from 'node:crypto';
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';

/**
 * A content hash of a recipe folder: every file's relative path, mode bit for "executable"
 * and bytes, in sorted order, so the same recipe always hashes the same on any machine.
 *
 * @example
 * await hashDirectory('sandbox-server/images/nginx') // 'sha256:3f…'
 */
export async function hashDirectory(dir: string): Promise<string> {
  const hash = createHash('sha256');
  for (const file of await listFiles(dir)) {
    const full = path.join(dir, file);
    const bytes = await readFile(full);
    const executable = ((await stat(full)).mode & 0o111) !== 0;
    hash.update(`${file}\0${executable ? 'x' : '-'}\0${bytes.length}\0`);
    hash.update(bytes);
  }
  return `sha256:${hash.digest('hex')}`;
}

/**
 * Combines labelled parts (a recipe hash, a parent image id, a package list…) into one key.
 * The labels keep `{a: 'xy'}` and `{ax: 'y'}` apart.
 *
 * @example
 * combineHashes({ recipe: 'sha256:aa', parent: 'sha256:bb' }) // 'sha256:…'
 */
export function combineHashes(parts: Record<string, string>): string {
  const hash = createHash('sha256');
  for (const key of Object.keys(parts).sort()) hash.update(`${key}=${parts[key]}\n`);
  return `sha256:${hash.digest('hex')}`;
}

/** Relative paths of every regular file under `dir`, sorted, with `/` separators. */
export async function listFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile() || entry.isSymbolicLink())
    .map((entry) =>
      path.relative(dir, path.join(entry.parentPath, entry.name)).split(path.sep).join('/'),
    )
    .sort();
}
