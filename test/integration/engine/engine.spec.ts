import fs from 'node:fs';
import path from 'node:path';
import Docker from 'dockerode';
import { afterAll, describe, expect, it } from 'vitest';
import { LABELS, loadConfig } from '../../../sandbox-server/src/config.ts';
import { currentMemoryCap, sandboxMemoryCap } from '../../../sandbox-server/src/engine/cgroup.ts';
import {
  engineStatus,
  ensureEngine,
  pingEngine,
  stopEngine,
} from '../../../sandbox-server/src/engine/engine.ts';
import { SANDBOX_IMAGE } from '../../../sandbox-server/src/sandbox/dind/profile.ts';
import { processCmdline } from '../../../sandbox-server/src/system/managed-process.ts';
import { isolatedHandson } from '../helpers/isolated-config.ts';

const cfg = loadConfig();
const USER_SOCKET = '/var/run/docker.sock';

function isolatedConfig(runDirSuffix = '') {
  const iso = isolatedHandson('engine', { runDirSuffix, subnet: 78 });
  cleanups.push(iso.cleanup);
  return iso.cfg;
}

async function userEngineContainers(): Promise<string[] | undefined> {
  if (!fs.existsSync(USER_SOCKET)) return undefined;
  const list = await new Docker({ socketPath: USER_SOCKET }).listContainers({ all: true });
  return list.map((c) => `${c.Id} ${c.State}`).sort();
}

const cleanups: (() => void)[] = [];
afterAll(() => {
  for (const cleanup of cleanups.reverse()) cleanup();
});

describe('the sandbox engine', () => {
  it('answers on its own socket with user-namespace remapping', async () => {
    await ensureEngine(cfg);
    const status = await engineStatus(cfg);
    expect(status).toMatchObject({ answering: true, userns: true });
    const cmdline = processCmdline(status.pid!) ?? '';
    expect(cmdline).toContain(`unix://${cfg.engine.socket}`);
    expect(cmdline).toContain('--userns-remap=default');
    expect(cmdline).toContain('--iptables=false');
    expect(cmdline).toContain(`--config-file ${cfg.engine.configFile}`);
  });

  it('is adopted, not restarted, when it already runs', async () => {
    const before = await engineStatus(cfg);
    const again = await ensureEngine(cfg);
    expect(again).toEqual({ pid: before.pid, adopted: true });
  });

  it('caps the memory of all sandboxes together on its cgroup parent, where they run', async () => {
    await ensureEngine(cfg);
    expect(currentMemoryCap(cfg)).toBe(sandboxMemoryCap());
    // The cap only counts if containers really live below that parent (a relative parent
    // lands below dockerd's own cgroup instead).
    const docker = new Docker({ socketPath: cfg.engine.socket });
    const box = await docker.createContainer({
      Image: SANDBOX_IMAGE,
      Entrypoint: ['sleep', 'infinity'],
      Labels: { [LABELS.managed]: 'true', [LABELS.kind]: 'engine-test' },
      HostConfig: { NetworkMode: 'none' },
    });
    try {
      await box.start();
      const pid = (await box.inspect()).State.Pid;
      const lines = fs.readFileSync(`/proc/${pid}/cgroup`, 'utf8').split('\n');
      // cgroup v1: the memory hierarchy's line; v2: the unified one.
      const memory =
        lines.find((line) => line.split(':')[1]?.split(',').includes('memory')) ??
        lines.find((line) => line.startsWith('0::'));
      expect(memory?.split(':')[2]).toBe(`/${cfg.engine.cgroupParent}/${box.id}`);
    } finally {
      await box.remove({ force: true });
    }
  });

  it("starts from nothing beside another engine, and stops, leaving the user's Docker alone", async () => {
    const iso = isolatedConfig();
    const userBefore = await userEngineContainers();
    const main = await engineStatus(cfg);

    const started = await ensureEngine(iso);
    expect(started.adopted).toBe(false);
    expect(await engineStatus(iso)).toMatchObject({
      answering: true,
      userns: true,
      pid: started.pid,
    });
    expect(fs.readFileSync(iso.engine.logFile, 'utf8')).toContain('API listen on');

    expect(await stopEngine(iso)).toBe(started.pid);
    expect(await pingEngine(iso)).toBe(false);

    // The project's engine and the user's engine are exactly as they were.
    expect((await engineStatus(cfg)).pid).toBe(main.pid);
    expect(await userEngineContainers()).toEqual(userBefore);
    if (userBefore === undefined) expect(fs.existsSync(USER_SOCKET)).toBe(false);
  });

  it('starts on a machine restored with an old /run whose containerd pidfile names a live stranger', async () => {
    // CI machines are restored from a snapshot: /run keeps containerd's pidfile, and its pid
    // may now be any process. dockerd only checks that the pid is alive, then waits in vain.
    const iso = isolatedConfig();
    const containerdDir = path.join(iso.engine.execRoot, 'containerd');
    fs.mkdirSync(containerdDir, { recursive: true });
    fs.writeFileSync(path.join(containerdDir, 'containerd.pid'), `${process.pid}`);

    const started = await ensureEngine(iso);
    expect(started.adopted).toBe(false);
    expect(await engineStatus(iso)).toMatchObject({ answering: true, pid: started.pid });
    const recorded = Number(fs.readFileSync(path.join(containerdDir, 'containerd.pid'), 'utf8'));
    expect(recorded).not.toBe(process.pid);
    expect(processCmdline(recorded)).toContain(path.join(containerdDir, 'containerd.toml'));
    expect(await stopEngine(iso)).toBe(started.pid);
  });

  it('that cannot start says so at once, with its log tail and a likely cause', async () => {
    // A unix socket path longer than the kernel allows: dockerd exits right after starting.
    const iso = isolatedConfig(`/${'x'.repeat(100)}`);
    const started = Date.now();
    const error = await ensureEngine(iso, { timeoutMs: 60_000 }).catch((e: Error) => e);
    expect(error).toBeInstanceOf(Error);
    const message = (error as Error).message;
    expect(message).toContain('exited while starting');
    expect(message).toContain('Likely cause: it could not create its API socket');
    expect(message).toContain(`Last lines of ${iso.engine.logFile}`);
    expect(message).toContain('bind: invalid argument');
    expect(Date.now() - started).toBeLessThan(30_000);
  });
});
