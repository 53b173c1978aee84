import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { HandsonConfig } from '../config.ts';
import { currentMemoryCap } from '../engine/cgroup.ts';
import { ensureEngine } from '../engine/engine.ts';
import { ensureDiskPool } from '../sandbox/dind/disk-pool.ts';
import { ensurePackageRepository } from '../services/package-repository.ts';
import { ensureRegistry, restartGatewayRegistry } from '../services/registry.ts';
import { USER_LIMIT_MINIMUMS } from './checks-host.ts';
import type { FixActions } from './fix.ts';

/**
 * The real `--fix` actions (root only). Child processes write their progress to stderr so
 * `--json` keeps stdout for the report.
 */

/** Run a program with its output on our stderr; reject with its exit code. */
export function runVisible(command: string, args: string[], env: NodeJS.ProcessEnv = process.env) {
  return new Promise<void>((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', process.stderr, process.stderr], env });
    child.on('error', reject);
    child.on('exit', (code, signal) =>
      code === 0
        ? resolve()
        : reject(new Error(`${command} ${args.join(' ')} failed (${signal ?? `exit ${code}`})`)),
    );
  });
}

export function realFixActions(cfg: HandsonConfig): FixActions {
  return {
    'apt-install': async (fix) => {
      const packages = fix.packages ?? [];
      const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
      await runVisible('apt-get', ['update'], env);
      await runVisible('apt-get', ['install', '-y', '--no-install-recommends', ...packages], env);
      return `installed ${packages.join(', ')}`;
    },
    'raise-user-limits': async () => {
      for (const [name, min] of Object.entries(USER_LIMIT_MINIMUMS)) {
        fs.writeFileSync(`/proc/sys/${name.replace(/\./g, '/')}`, String(min));
      }
      return Object.entries(USER_LIMIT_MINIMUMS)
        .map(([name, min]) => `${name}=${min}`)
        .join(', ');
    },
    'mount-disk-pool': async () => {
      const pool = await ensureDiskPool(cfg);
      return `sandbox disk pool of ${gib(pool.sizeBytes)} mounted at ${pool.mountPoint}`;
    },
    'start-engine': async () => {
      const { pid, adopted } = await ensureEngine(cfg);
      const cap = currentMemoryCap(cfg);
      const capped =
        cap === undefined
          ? 'no memory cap'
          : `sandboxes capped at ${(cap / 1024 ** 3).toFixed(1)} GiB`;
      return `sandbox engine ${adopted ? 'already running' : 'started'} (pid ${pid}); ${capped}`;
    },
    'start-registry': async () => {
      const ls = await ensureRegistry(cfg);
      return `registry on ${ls.map((l) => `${l.address}:${l.port}`).join(' and ')}`;
    },
    'restart-registry': async () => {
      const ls = await restartGatewayRegistry(cfg);
      return `registry restarted read-only for sandboxes; it answers on ${ls.map((l) => `${l.address}:${l.port}`).join(' and ')}`;
    },
    'start-packages': async () => {
      const ls = await ensurePackageRepository(cfg);
      return `package repository on ${ls.map((l) => `${l.address}:${l.port}`).join(' and ')}`;
    },
    'build-images': async () => {
      // The images command is the images module's public entry point; running it as a child
      // keeps its progress output and its own error handling intact.
      const bin = path.join(cfg.projectRoot, 'sandbox-server', 'bin', 'handson.js');
      await runVisible(process.execPath, [bin, 'images']);
      return 'images built and pushed';
    },
  };
}

function gib(bytes: number): string {
  return `${(bytes / 1024 ** 3).toFixed(1)} GiB`;
}
