import fs from 'node:fs';
import path from 'node:path';
import { type HandsonConfig, registryAddress } from '../config.ts';

/**
 * How the project's own dockerd is started: which binary, which flags, which daemon.json.
 * Everything that separates it from a Docker the user may run (socket, data root, exec root,
 * pidfile, bridge, containerd namespaces) is a flag, so `ps` shows it plainly.
 */

const DOCKERD_CANDIDATES = ['/usr/bin/dockerd', '/usr/sbin/dockerd', '/usr/local/bin/dockerd'];

/**
 * The first installed `dockerd` (docker-ce, moby or Debian's docker.io all install one), or
 * undefined: only then may setup install Debian's docker.io (which would replace docker-ce).
 *
 * @example
 * findDockerd() // '/usr/sbin/dockerd'
 */
export function findDockerd(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const onPath = (env.PATH ?? '')
    .split(':')
    .filter(Boolean)
    .map((dir) => path.join(dir, 'dockerd'));
  return [...onPath, ...DOCKERD_CANDIDATES].find((file) => {
    try {
      fs.accessSync(file, fs.constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

/**
 * dockerd's flags. `--config-file` points at the project's own daemon.json so a user's
 * /etc/docker/daemon.json is never read (its `hosts` or `data-root` would collide).
 */
export function dockerdArgs(cfg: HandsonConfig): string[] {
  const e = cfg.engine;
  return [
    '--config-file',
    e.configFile,
    '-H',
    `unix://${e.socket}`,
    '--data-root',
    e.dataRoot,
    '--exec-root',
    e.execRoot,
    '--pidfile',
    e.pidfile,
    '--bridge',
    e.bridge,
    // iptables chains are per host: a second engine managing them would fight the user's.
    '--iptables=false',
    '--ip-masq=false',
    // The learner is root in a sandbox; remapping makes that root nobody on the host.
    '--userns-remap=default',
    // Absolute: a relative parent lands below dockerd's own cgroup (here /process_api/<id>/),
    // away from the memory cap written at /sys/fs/cgroup/memory/<parent>.
    '--cgroup-parent',
    `/${e.cgroupParent.replace(/^\/+/, '')}`,
    '--containerd-namespace',
    'handson',
    '--containerd-plugins-namespace',
    'handson-plugins',
  ];
}

/** The daemon.json: what is not a flag. The local registry is plain HTTP on the gateway. */
export function daemonJson(cfg: HandsonConfig): Record<string, unknown> {
  return {
    'insecure-registries': [registryAddress(cfg), `127.0.0.1:${cfg.registry.port}`],
    'log-driver': 'json-file',
    'log-opts': { 'max-size': '10m', 'max-file': '2' },
  };
}

/** Write daemon.json and the directories dockerd expects. */
export function prepareDaemonFiles(cfg: HandsonConfig): void {
  fs.mkdirSync(path.dirname(cfg.engine.configFile), { recursive: true });
  fs.writeFileSync(cfg.engine.configFile, `${JSON.stringify(daemonJson(cfg), null, 2)}\n`);
  fs.mkdirSync(path.dirname(cfg.engine.logFile), { recursive: true });
  fs.mkdirSync(cfg.engine.dataRoot, { recursive: true });
  fs.mkdirSync(path.dirname(cfg.engine.socket), { recursive: true });
}
