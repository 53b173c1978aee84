import { existsSync } from 'node:fs';
import path from 'node:path';
import Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../sandbox-server/src/config.ts';
import { cgroupVersion } from '../../../sandbox-server/src/sandbox/dind/cgroups.ts';
import type { DindDriver } from '../../../sandbox-server/src/sandbox/dind/dind-driver.ts';
import { diskPaths } from '../../../sandbox-server/src/sandbox/dind/disk.ts';
import { run } from '../../../sandbox-server/src/sandbox/dind/run.ts';
import type { Sandbox } from '../../../sandbox-server/src/sandbox/driver.ts';
import { type ControlEngine, startControlEngine } from './control-engine.ts';
import { bootSandbox, dindDriver } from './support.ts';

/**
 * The escape battery. Every probe is one busybox shell script that prints ESCAPED only if it
 * achieved something a learner must never achieve, and writes only the value already there, so
 * a regression cannot harm the host. Each probe first runs as a positive control in a plain
 * CAP_SYS_ADMIN container on a throwaway engine WITHOUT userns remapping (where it must succeed,
 * or the probe proves nothing), then in a sandbox, where it must fail with the expected error.
 */

const DENIED =
  /Permission denied|Operation not permitted|Read-only file system|No such file|nonexistent|not permitted/i;
const MAX_LOOP_PROBE = '/tmp/handson-escape-probe.img';

const PROBES = {
  'host core_pattern via a remounted /proc/sys':
    'mount -o remount,rw /proc/sys && v=$(cat /proc/sys/kernel/core_pattern) && printf "%s\\n" "$v" > /proc/sys/kernel/core_pattern && echo ESCAPED',
  'host core_pattern via a fresh proc mount':
    'mkdir -p /tmp/p && mount -t proc proc /tmp/p && v=$(cat /tmp/p/sys/kernel/core_pattern) && printf "%s\\n" "$v" > /tmp/p/sys/kernel/core_pattern && echo ESCAPED; umount /tmp/p 2>/dev/null',
  'cgroup v1 release_agent':
    'mkdir -p /tmp/cg && mount -t cgroup -o memory cgroup /tmp/cg && v=$(cat /tmp/cg/release_agent) && printf "%s\\n" "$v" > /tmp/cg/release_agent && echo ESCAPED; umount /tmp/cg 2>/dev/null',
  'a new cgroup hierarchy':
    'mkdir -p /tmp/h && mount -t cgroup -o none,name=handsonprobe cgroup /tmp/h && echo ESCAPED; umount /tmp/h 2>/dev/null; true',
} as const;

describe('escape battery: a learner is root in the sandbox, not on the host', () => {
  let driver: DindDriver;
  let sandbox: Sandbox;
  let control: ControlEngine;
  let loopDev = '';
  let loopMinor = 0;

  /** Run a probe in the sandbox with the same busybox the control uses. */
  const inSandbox = async (script: string) => {
    const res = await sandbox.exec(['/tmp/bb/sh', '-c', script], {
      env: { PATH: '/tmp/bb:/usr/sbin:/usr/bin:/sbin:/bin' },
      timeoutMs: 30_000,
    });
    return res.stdout + res.stderr;
  };

  beforeAll(async () => {
    driver = await dindDriver();
    sandbox = await bootSandbox(driver, 'spec-escape');
    // The same busybox binary inside the sandbox (copied out of the image) and in the control.
    const copy = await sandbox.exec(
      [
        'sh',
        '-c',
        'mkdir -p /tmp/bb && docker run --rm -v /tmp/bb:/out busybox cp /bin/busybox /out/ && /tmp/bb/busybox --install -s /tmp/bb',
      ],
      { timeoutMs: 60_000 },
    );
    expect(copy.exitCode, copy.stderr).toBe(0);
    const outer = driver.docker;
    control = await startControlEngine(await outer.getImage('busybox:latest').get());
    // A small filesystem on its own loop device: the "host block device" of the block probes.
    await run('truncate', ['-s', '8M', MAX_LOOP_PROBE]);
    await run('mkfs.ext4', ['-q', '-F', MAX_LOOP_PROBE]);
    loopDev = (await run('losetup', ['-f', '--show', MAX_LOOP_PROBE])).trim();
    loopMinor = Number(loopDev.replace('/dev/loop', ''));
  });

  afterAll(async () => {
    await control?.stop();
    if (loopDev) await run('losetup', ['-d', loopDev]).catch(() => undefined);
    await run('rm', ['-f', MAX_LOOP_PROBE]);
    if (sandbox) await driver.destroy(sandbox.id);
  });

  for (const [name, script] of Object.entries(PROBES)) {
    it(`blocks ${name}`, async () => {
      expect(await control.probe(script, { CgroupnsMode: 'host' } as Docker.HostConfig)).toContain(
        'ESCAPED',
      );
      const out = await inSandbox(script);
      expect(out).not.toContain('ESCAPED');
      expect(out).toMatch(DENIED);
    });
  }

  it('blocks mknod of a host block device and reading it', async () => {
    const script = `mknod /tmp/blk b 7 ${loopMinor} && head -c 4096 /tmp/blk | od -c | grep -q . && echo ESCAPED`;
    const device = [
      { PathOnHost: loopDev, PathInContainer: '/dev/probe', CgroupPermissions: 'rwm' },
    ];
    expect(await control.probe(script, { Devices: device })).toContain('ESCAPED');
    const out = await inSandbox(script);
    expect(out).not.toContain('ESCAPED');
    expect(out).toMatch(/Operation not permitted/);
  });

  it('blocks mounting a host block device', async () => {
    const script = `mknod /tmp/blk b 7 ${loopMinor}; mkdir -p /tmp/m && mount -o ro /tmp/blk /tmp/m && echo ESCAPED; umount /tmp/m 2>/dev/null; true`;
    const device = [
      { PathOnHost: loopDev, PathInContainer: '/dev/probe', CgroupPermissions: 'rwm' },
    ];
    expect(await control.probe(script, { Devices: device })).toContain('ESCAPED');
    const out = await inSandbox(script);
    expect(out).not.toContain('ESCAPED');
    expect(out).toMatch(DENIED);
  });

  it('leaves no setuid file a host user could run: the disks are mounted in a root-only folder', async () => {
    const made = await inSandbox(
      'cp /tmp/bb/busybox /root/suid-probe && chmod 4755 /root/suid-probe',
    );
    expect(made).toBe('');
    const file = path.join(diskPaths(loadConfig(), sandbox.id).mountPoint, 'root/suid-probe');
    // Control: the file is there, setuid, for host root (the disk is mounted without nosuid,
    // so BuildKit works in the sandbox).
    expect((await run('stat', ['-c', '%A', file])).trim()).toBe('-rwsr-xr-x');
    // A host user cannot reach it to run it.
    const asNobody = await run('runuser', ['-u', 'nobody', '--', file, 'id', '-u']).catch(
      (err: Error) => err.message,
    );
    expect(asNobody).toMatch(/Permission denied/);
  });

  it("cannot reach the host's engine socket, only its own engine", async () => {
    const script = '[ -S /run/handson/docker.sock ] && echo ESCAPED; ls /run/handson/docker.sock';
    // Control: the classic mistake, the host engine's socket mounted in.
    expect(
      await control.probe(script, { Binds: ['/run/handson/docker.sock:/run/handson/docker.sock'] }),
    ).toContain('ESCAPED');
    const out = await inSandbox(script);
    expect(out).not.toContain('ESCAPED');
    expect(out).toMatch(/No such file/);
    const hostEngine = await driver.docker.info();
    const inner = await sandbox.exec(['docker', 'info', '--format', '{{.ID}}']);
    expect(inner.stdout.trim()).not.toBe('');
    expect(inner.stdout.trim()).not.toBe(hostEngine.ID);
  });

  it("cannot point the server at the host's engine by swapping its own socket for a symlink", async () => {
    const hostEngine = await driver.docker.info();
    const swap =
      'mv /handson/docker.sock /handson/docker.sock.real && ln -s /run/handson/docker.sock /handson/docker.sock';
    const restore =
      'rm -f /handson/docker.sock && mv /handson/docker.sock.real /handson/docker.sock';
    expect((await sandbox.exec(['sh', '-c', swap])).exitCode).toBe(0);
    try {
      // Control: a plain client on that path follows the symlink to the host's engine.
      const naive = new Docker({
        socketPath: path.join(driver.hostDir(sandbox.id), 'docker.sock'),
      });
      expect((await naive.info()).ID).toBe(hostEngine.ID);
      // The server's client for the sandbox refuses the symlink instead.
      await expect(sandbox.engine().info()).rejects.toThrow(/not the sandbox engine's socket/);
    } finally {
      expect((await sandbox.exec(['sh', '-c', restore])).exitCode).toBe(0);
    }
    const inner = await sandbox.engine().info();
    expect(inner.ID).not.toBe(hostEngine.ID);
  });

  it('cannot make the server read host files through its history folder (a symlink)', async () => {
    const swap =
      'mkdir -p /root/.handson && mv /root/.handson/history /root/.handson/history.real 2>/dev/null; ln -s /etc /root/.handson/history';
    const restore =
      'rm -f /root/.handson/history && { mv /root/.handson/history.real /root/.handson/history 2>/dev/null; true; }';
    expect((await sandbox.exec(['sh', '-c', swap])).exitCode).toBe(0);
    try {
      // Control: a plain read of that path on the host lists the host's /etc.
      const disk = diskPaths(loadConfig(), sandbox.id).mountPoint;
      expect(existsSync(path.join(disk, 'root', '.handson', 'history', 'hostname'))).toBe(true);
      // The server's read refuses the symlink: no history, nothing of the host's.
      expect(await sandbox.readHistory()).toBe('');
    } finally {
      expect((await sandbox.exec(['sh', '-c', restore])).exitCode).toBe(0);
    }
  });

  it("cannot lift its own sandbox's pids and memory limits", async () => {
    // The sandbox's own cgroup (the root of its cgroup namespace), mounted afresh; each limit is
    // rewritten with the value it already has.
    const v2 = cgroupVersion() === 2;
    const limit = (controller: string, file: string, tag: string) =>
      `mkdir -p /tmp/c-${tag} && mount -t ${v2 ? 'cgroup2 cgroup2' : `cgroup -o ${controller} cgroup`} /tmp/c-${tag} && v=$(cat /tmp/c-${tag}/${file}) && printf "%s\\n" "$v" > /tmp/c-${tag}/${file} && echo ESCAPED-${tag}; umount /tmp/c-${tag} 2>/dev/null`;
    const script = [
      limit('pids', 'pids.max', 'PIDS'),
      limit('memory', v2 ? 'memory.max' : 'memory.limit_in_bytes', 'MEM'),
    ].join('; ');
    const positive = await control.probe(script, {
      CgroupnsMode: 'private',
      PidsLimit: 512,
      Memory: 512 * 2 ** 20,
    } as Docker.HostConfig);
    expect(positive).toContain('ESCAPED-PIDS');
    expect(positive).toContain('ESCAPED-MEM');
    const out = await inSandbox(script);
    expect(out).not.toContain('ESCAPED');
    expect(out).toMatch(/Permission denied/);
  });

  it('cannot write /proc/sysrq-trigger', async () => {
    const script =
      'mkdir -p /tmp/p && mount -t proc proc /tmp/p; printf " " > /tmp/p/sysrq-trigger && echo ESCAPED; umount /tmp/p 2>/dev/null';
    // (The bracket keeps the probe's own command line from matching.)
    // This kernel may be built without sysrq: then the control cannot write it either.
    const expected = existsSync('/proc/sysrq-trigger') ? 'ESCAPED' : 'nonexistent';
    expect(await control.probe(script)).toMatch(
      expected === 'ESCAPED' ? /ESCAPED/ : /No such file|nonexistent/,
    );
    const out = await inSandbox(script);
    expect(out).not.toContain('ESCAPED');
    expect(out).toMatch(DENIED);
  });

  it('cannot load a kernel module (the kernel is never even asked)', async () => {
    const script = 'printf "not a module" > /tmp/x.ko; insmod /tmp/x.ko 2>&1; true';
    // Control with CAP_SYS_MODULE: the call passes seccomp and the capability check, and the kernel
    // answers for itself (bad format, or "not implemented" on a kernel built without modules).
    const positive = await control.probe(script, { CapAdd: ['SYS_ADMIN', 'SYS_MODULE'] });
    expect(positive).not.toMatch(/not permitted/);
    expect(positive).toMatch(/invalid|format|Exec|not implemented|does not support/i);
    expect(await inSandbox(script)).toMatch(/not permitted/);
  });

  it('cannot see host processes', async () => {
    const script =
      'for p in /proc/[0-9]*; do tr "\\0" " " < $p/cmdline 2>/dev/null; echo; done | grep -q "data-roo[t] /var/lib/handson/engine" && echo ESCAPED; echo done';
    expect(await control.probe(script, { PidMode: 'host' })).toContain('ESCAPED');
    expect(await inSandbox(script)).toBe('done\n');
  });

  for (const [label, flags] of [
    ['--privileged', '--privileged'],
    [
      '--userns=host --cap-add SYS_ADMIN',
      '--userns=host --cap-add SYS_ADMIN --security-opt seccomp=unconfined',
    ],
  ] as const) {
    it(`an inner container with ${label} escapes no further`, async () => {
      const all = Object.values(PROBES).join('; ');
      const res = await sandbox.exec(
        [
          'sh',
          '-c',
          `docker run --rm ${flags} --cgroupns host -v /tmp/bb:/bb busybox /bb/sh -c '${all.replaceAll("'", "'\\''")}'`,
        ],
        { timeoutMs: 60_000 },
      );
      const out = res.stdout + res.stderr;
      expect(out).not.toContain('ESCAPED');
      expect(out).toMatch(DENIED);
    });
  }
});
