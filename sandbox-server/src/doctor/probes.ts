import fs from 'node:fs';
import path from 'node:path';
import type { HandsonConfig } from '../config.ts';
import { cgroupControllers, cgroupVersion, currentMemoryCap } from '../engine/cgroup.ts';
import { findDockerd } from '../engine/daemon.ts';
import { engineClient, engineStatus } from '../engine/engine.ts';
import { expectedImages } from '../images/catalog.ts';
import { diskPoolStatus } from '../sandbox/dind/disk-pool.ts';
import { packageRepositoryStatus } from '../services/package-repository.ts';
import { registryStatus } from '../services/registry.ts';
import { logTail } from '../system/managed-process.ts';
import { probeFromBridge } from './bridge-probe.ts';
import { lessonImages } from './image-refs.ts';
import { probeMirrorWrites } from './mirror-probe.ts';
import type { DoctorProbes } from './types.ts';

/** Directories programs live in, including sbin ones a non-root PATH may lack. */
const SEARCH_DIRS = ['/usr/local/sbin', '/usr/local/bin', '/usr/sbin', '/usr/bin', '/sbin', '/bin'];

function which(program: string): string | undefined {
  if (program === 'dockerd') return findDockerd();
  const dirs = [...(process.env.PATH ?? '').split(':').filter(Boolean), ...SEARCH_DIRS];
  return dirs
    .map((dir) => path.join(dir, program))
    .find((file) => {
      try {
        fs.accessSync(file, fs.constants.X_OK);
        return true;
      } catch {
        return false;
      }
    });
}

/** Whether the registry has `repository:tag` (a HEAD of its manifest). */
async function registryHas(cfg: HandsonConfig, ref: string): Promise<boolean> {
  const at = ref.lastIndexOf(':');
  const url = `http://127.0.0.1:${cfg.registry.port}/v2/${ref.slice(0, at)}/manifests/${ref.slice(at + 1)}`;
  try {
    const res = await fetch(url, {
      method: 'HEAD',
      signal: AbortSignal.timeout(5_000),
      headers: {
        Accept: [
          'application/vnd.docker.distribution.manifest.v2+json',
          'application/vnd.docker.distribution.manifest.list.v2+json',
          'application/vnd.oci.image.manifest.v1+json',
          'application/vnd.oci.image.index.v1+json',
        ].join(', '),
      },
    });
    return res.ok;
  } catch {
    return false;
  }
}

/**
 * The real machine, as the checks see it.
 *
 * @example
 * const report = await runChecks(cfg, realProbes(cfg));
 */
export function realProbes(cfg: HandsonConfig): DoctorProbes {
  const listeners = (ls: Awaited<ReturnType<typeof registryStatus>>) =>
    ls.map((l) => ({ address: l.address, port: l.port, answering: l.answering }));
  return {
    isRoot: () => process.getuid?.() === 0,
    which,
    engine: () => engineStatus(cfg),
    engineLogTail: () => logTail(cfg.engine.logFile, 15),
    registry: async () => listeners(await registryStatus(cfg)),
    packageRepository: async () => listeners(await packageRepositoryStatus(cfg)),
    packageRepositoryServes: async (p) => {
      try {
        const res = await fetch(`http://127.0.0.1:${cfg.packages.port}${p}`, {
          method: 'HEAD',
          signal: AbortSignal.timeout(5_000),
        });
        return res.ok;
      } catch {
        return false;
      }
    },
    fromBridge: (urls) => probeFromBridge(engineClient(cfg), cfg, urls),
    mirrorWrites: () => probeMirrorWrites(engineClient(cfg), cfg),
    missingRegistryImages: async () => {
      const catalog = expectedImages()
        .filter((i) => i.pushed)
        .map((i) => `${i.repository}:${i.tag}`);
      const lessons = lessonImages(path.join(cfg.projectRoot, 'content')).refs;
      const refs = [...new Set([...catalog, ...lessons])].sort();
      const present = await Promise.all(refs.map((ref) => registryHas(cfg, ref)));
      return { expected: refs.length, missing: refs.filter((_, i) => !present[i]) };
    },
    missingEngineImages: async () => {
      const refs = expectedImages()
        .filter((i) => !i.pushed)
        .map((i) => `${i.repository}:${i.tag}`);
      const docker = engineClient(cfg);
      const present = await Promise.all(
        refs.map((ref) =>
          docker
            .getImage(ref)
            .inspect()
            .then(() => true)
            .catch(() => false),
        ),
      );
      return { expected: refs.length, missing: refs.filter((_, i) => !present[i]) };
    },
    cgroup: () => {
      const version = cgroupVersion();
      return { version, controllers: cgroupControllers(version), memoryCap: currentMemoryCap(cfg) };
    },
    exists: (p) => fs.existsSync(p),
    capabilityBoundingSet: () => {
      const line = fs
        .readFileSync('/proc/self/status', 'utf8')
        .split('\n')
        .find((l) => l.startsWith('CapBnd:'));
      return BigInt(`0x${line?.split(/\s+/)[1] ?? '0'}`);
    },
    sysctl: (name) => {
      try {
        return Number(fs.readFileSync(`/proc/sys/${name.replace(/\./g, '/')}`, 'utf8').trim());
      } catch {
        return undefined;
      }
    },
    freeBytes: (p) => {
      // The home may not exist before the first setup: measure the nearest existing parent.
      let dir = p;
      while (!fs.existsSync(dir) && dir !== path.dirname(dir)) dir = path.dirname(dir);
      const s = fs.statfsSync(dir);
      return s.bavail * s.bsize;
    },
    diskPool: () => diskPoolStatus(cfg),
  };
}
