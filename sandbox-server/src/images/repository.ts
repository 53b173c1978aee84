import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import type { HandsonConfig } from '../config.ts';
import type { BaseRootfs } from './base-rootfs.ts';
import type { StepIo } from './engine.ts';
import { combineHashes } from './hash.ts';
import { runCommand } from './run-command.ts';

export interface PackageRepository {
  /** The flat repository folder, served as `<packages url>/debian`. */
  dir: string;
  /** How many .deb files it holds. */
  count: number;
  key: string;
  cached: boolean;
}

const STAMP = '.handson-key';

/** The folder of the flat apt repository inside the package repository's root. */
export function repositoryDir(cfg: HandsonConfig): string {
  return path.join(cfg.packages.dir, 'debian');
}

/**
 * Fills the flat apt repository with `packages` and every dependency the base tree lacks.
 * The host's apt resolves them against the base tree's dpkg status (not the host's), so the
 * repository holds exactly what `apt-get install` in a `debian` container will ask for. The
 * index is written last, so a killed run leaves the previous index working.
 *
 * @example
 * const repo = await fillPackageRepository(cfg, base, ['cowsay', 'curl']);
 * repo.count // 120
 */
export async function fillPackageRepository(
  cfg: HandsonConfig,
  base: BaseRootfs,
  packages: readonly string[],
  io: StepIo = {},
): Promise<PackageRepository> {
  const dir = repositoryDir(cfg);
  const key = combineHashes({ base: base.key, packages: packages.join(' ') });
  if (
    (await readOptional(path.join(dir, STAMP))) === key &&
    existsSync(path.join(dir, 'Packages.gz'))
  ) {
    return { dir, count: await countDebs(dir), key, cached: true };
  }
  await mkdir(path.join(dir, 'partial'), { recursive: true });
  await downloadClosure(dir, base, packages, io);
  await rm(path.join(dir, 'partial'), { recursive: true, force: true });
  await writeIndex(dir, io);
  await writeFile(path.join(dir, STAMP), key);
  return { dir, count: await countDebs(dir), key, cached: false };
}

async function downloadClosure(
  dir: string,
  base: BaseRootfs,
  packages: readonly string[],
  io: StepIo,
): Promise<void> {
  const args = [
    'install',
    '--download-only',
    '--yes',
    '--no-install-recommends',
    '-o',
    `Dir::State::status=${path.join(base.dir, 'var/lib/dpkg/status')}`,
    '-o',
    `Dir::Cache::archives=${dir}`,
    // The host's own dpkg is not touched, so its lock is not needed (another apt may hold it).
    '-o',
    'Debug::NoLocking=1',
    ...packages,
  ];
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  try {
    await runCommand('apt-get', args, { env, signal: io.signal, onLine: io.onLine });
  } catch {
    // Most often the host's package lists are missing or stale: refresh them once and retry.
    await runCommand('apt-get', ['update'], { env, signal: io.signal, onLine: io.onLine });
    await runCommand('apt-get', args, { env, signal: io.signal, onLine: io.onLine });
  }
}

/** Packages, Packages.gz and an unsigned Release (the image's source is `[trusted=yes]`). */
async function writeIndex(dir: string, io: StepIo): Promise<void> {
  const packages = await runCommand('dpkg-scanpackages', ['--multiversion', '.', '/dev/null'], {
    cwd: dir,
    signal: io.signal,
  });
  const files: Record<string, Buffer> = {
    Packages: Buffer.from(packages),
    'Packages.gz': gzipSync(packages),
  };
  const sums = (algorithm: string) =>
    Object.entries(files)
      .map(([name, bytes]) => {
        const digest = createHash(algorithm).update(bytes).digest('hex');
        return ` ${digest} ${bytes.length} ${name}`;
      })
      .join('\n');
  files.Release = Buffer.from(
    [
      'Origin: handson',
      'Label: handson offline packages',
      `Date: ${new Date().toUTCString()}`,
      'Architectures: amd64 all',
      'MD5Sum:',
      sums('md5'),
      'SHA256:',
      sums('sha256'),
      '',
    ].join('\n'),
  );
  for (const [name, bytes] of Object.entries(files)) {
    await writeFile(path.join(dir, `${name}.tmp`), bytes);
    await rename(path.join(dir, `${name}.tmp`), path.join(dir, name));
  }
}

/**
 * The newest .deb of `name` in the repository (e.g. busybox-static for the busybox image).
 *
 * @example
 * await findDeb(dir, 'busybox-static') // '/var/lib/handson/packages/debian/busybox-static_1%3a1.35.0-4+b1_amd64.deb'
 */
export async function findDeb(dir: string, name: string): Promise<string> {
  const matches = (await readdir(dir)).filter(
    (f) => f.startsWith(`${name}_`) && f.endsWith('.deb'),
  );
  const newest = matches.sort().at(-1);
  if (!newest)
    throw new Error(
      `${name} is not in the package repository ${dir}; run \`handson images\` again.`,
    );
  return path.join(dir, newest);
}

async function countDebs(dir: string): Promise<number> {
  return (await readdir(dir)).filter((f) => f.endsWith('.deb')).length;
}

async function readOptional(file: string): Promise<string | undefined> {
  try {
    return await readFile(file, 'utf8');
  } catch {
    return undefined;
  }
}
