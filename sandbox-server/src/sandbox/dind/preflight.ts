import type Docker from 'dockerode';
import type { HandsonConfig } from '../../config.ts';
import { installFirewall } from './firewall.ts';
import { remappedRoot } from './remap.ts';
import { succeeds } from './run.ts';

/**
 * Refuse to run dind sandboxes where they would not be contained, with a message saying what
 * to do; then install the firewall rules (idempotent).
 *
 * @example
 * await preflightDind(cfg, new Docker({ socketPath: cfg.engine.socket }), 'handson/sandbox:latest');
 */
export async function preflightDind(
  cfg: HandsonConfig,
  docker: Docker,
  image: string,
): Promise<void> {
  const info = (await docker.info().catch((err: unknown) => {
    throw new Error(
      `The sandbox engine at ${cfg.engine.socket} does not answer (${String(err)}). ` +
        'Start it with `handson setup` or check it with `handson doctor`.',
    );
  })) as { SecurityOptions?: string[]; CgroupVersion?: string };
  const security = info.SecurityOptions ?? [];
  if (!security.some((opt) => opt === 'userns' || opt.startsWith('name=userns'))) {
    throw new Error(
      `The sandbox engine at ${cfg.engine.socket} does not remap user namespaces, so a learner ` +
        'would be root on this host. Restart it with `--userns-remap=default` ' +
        '(`handson setup` does this), then try again.',
    );
  }
  await remappedRoot();
  const found = await docker
    .getImage(image)
    .inspect()
    .catch(() => undefined);
  if (!found) {
    throw new Error(
      `The sandbox image ${image} is missing on the sandbox engine. Build it with \`handson images\`.`,
    );
  }
  if (!(await succeeds('losetup', ['-f']))) {
    throw new Error(
      'No free loop device for sandbox disks. Load the loop module (`modprobe loop max_loop=256`).',
    );
  }
  for (const tool of [
    'mkfs.ext4',
    'iptables',
    'iptables-restore',
    'ip6tables',
    'ip6tables-restore',
    'losetup',
    'mount',
  ]) {
    if (!(await succeeds('sh', ['-c', `command -v ${tool}`]))) {
      throw new Error(
        `\`${tool}\` is not installed on this host; install e2fsprogs, iptables, mount (util-linux).`,
      );
    }
  }
  await installFirewall(cfg);
}
