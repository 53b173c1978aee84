import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type HandsonConfig, loadConfig } from '../../../sandbox-server/src/config.ts';

/**
 * A second, throwaway handson beside the project's: its own home, run dir, bridge, subnet,
 * cgroup parent and ports, so a spec can start and stop an engine and services without
 * disturbing the shared ones. `cleanup()` unmounts what dockerd leaves mounted (the remapped
 * data root) and removes it all.
 *
 * @example
 * const iso = isolatedHandson('stop');
 * afterAll(iso.cleanup);
 * await ensureEngine(iso.cfg);
 */
export function isolatedHandson(
  name: string,
  opts: { runDirSuffix?: string; subnet?: number } = {},
): { cfg: HandsonConfig; env: NodeJS.ProcessEnv; cleanup: () => void } {
  const tag = `${name.slice(0, 6)}${process.pid}`;
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'handson-iso-'));
  // The remapped root must be able to traverse to its data root, as under /var/lib.
  fs.chmodSync(home, 0o755);
  const subnet = opts.subnet ?? 78;
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    HANDSON_HOME: home,
    HANDSON_RUN_DIR: `/run/handson-${tag}${opts.runDirSuffix ?? ''}`,
    HANDSON_BRIDGE: `hs${tag}`.slice(0, 15),
    HANDSON_GATEWAY: `10.${subnet}.0.1/16`,
    HANDSON_CGROUP_PARENT: `handson-${tag}`,
    HANDSON_REGISTRY_PORT: String(5400 + subnet),
    HANDSON_PACKAGES_PORT: String(5300 + subnet),
  };
  const cfg = loadConfig(env);
  const quietly = (cmd: string, args: string[]) => {
    try {
      execFileSync(cmd, args, { stdio: 'ignore' });
    } catch {
      // already gone
    }
  };
  const cleanup = () => {
    const mounts = fs
      .readFileSync('/proc/mounts', 'utf8')
      .split('\n')
      .map((line) => line.split(' ')[1] ?? '')
      .filter((m) => m.startsWith(home) || m.startsWith(cfg.runDir));
    for (const m of mounts.reverse()) quietly('umount', ['-l', m]);
    quietly('ip', ['link', 'del', cfg.engine.bridge]);
    fs.rmSync(cfg.runDir, { recursive: true, force: true });
    fs.rmSync(home, { recursive: true, force: true });
    for (const hierarchy of ['memory', '']) {
      const dir = path.join('/sys/fs/cgroup', hierarchy, cfg.engine.cgroupParent);
      if (fs.existsSync(dir)) quietly('rmdir', [dir]);
    }
  };
  return { cfg, env, cleanup };
}
