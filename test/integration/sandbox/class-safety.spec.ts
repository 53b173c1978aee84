import { execFile } from 'node:child_process';
import net from 'node:net';
import os from 'node:os';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig, registryAddress } from '../../../sandbox-server/src/config.ts';
import type { DindDriver } from '../../../sandbox-server/src/sandbox/dind/dind-driver.ts';
import { bridgeName } from '../../../sandbox-server/src/sandbox/dind/network.ts';
import type { Sandbox } from '../../../sandbox-server/src/sandbox/driver.ts';
import { bootSandbox, dindDriver, sh } from './support.ts';

const exec = promisify(execFile);

/**
 * The escape battery, continued: what one learner must not do to the class (the shared image
 * mirror, the kernel's per-user counts, the host over IPv6). Each probe has its positive control:
 * the same attempt where it is allowed, so the probe is shown able to succeed.
 */

const cfg = loadConfig();
const mirror = registryAddress(cfg);
const loopback = `http://127.0.0.1:${cfg.registry.port}`;
const MANIFEST = 'application/vnd.docker.distribution.manifest.v2+json';

/** perl (in the sandbox image and on the host): add_key until it fails, or `n` keys. */
const ADD_KEYS = `my ($t, $p) = ("user", "x"); my $n = 0; while ($n < $ARGV[0]) { my $d = "handson-probe-$n"; if (syscall(248, $t, $d, $p, 1, -3) < 0) { print "add_key failed after $n: $!\\n"; exit } $n++ } print "added $n keys\\n";`;
/** perl: inotify_init1 until it fails, or `n` instances, all held until the end. */
const INOTIFY = `my $n = 0; my @fds; while ($n < $ARGV[0]) { my $fd = syscall(294, 0); if ($fd < 0) { print "inotify failed after $n: $!\\n"; exit } push @fds, $fd; $n++ } print "made $n\\n";`;

async function digest(repo: string, tag: string): Promise<string | null> {
  const res = await fetch(`${loopback}/v2/${repo}/manifests/${tag}`, {
    method: 'HEAD',
    headers: { Accept: MANIFEST },
  });
  return res.headers.get('docker-content-digest');
}

async function catalog(): Promise<string[]> {
  const res = await fetch(`${loopback}/v2/_catalog?n=1000`);
  return ((await res.json()) as { repositories: string[] }).repositories;
}

/** As an unprivileged host user (uid 54321, nobody's): the positive control of a per-user limit. */
function asNobody(script: string): Promise<string> {
  return exec('setpriv', ['--reuid=54321', '--regid=54321', '--clear-groups', 'sh', '-c', script], {
    timeout: 60_000,
  }).then((r) => r.stdout);
}

describe('class safety: one learner cannot harm the class', () => {
  let driver: DindDriver;
  let a: Sandbox;
  let b: Sandbox;

  beforeAll(async () => {
    driver = await dindDriver();
    [a, b] = await Promise.all([
      bootSandbox(driver, 'spec-class-a'),
      bootSandbox(driver, 'spec-class-b'),
    ]);
    const pulled = await sh(a, 'docker pull -q busybox && docker pull -q registry', 120_000);
    expect(pulled.exitCode, pulled.stderr).toBe(0);
    // The learner's own registry (lesson 10), deletes on: where pushes and deletes must work.
    const own = await sh(
      a,
      'docker run -d -p 5000:5000 -e REGISTRY_STORAGE_DELETE_ENABLED=true registry && for i in $(seq 50); do curl -sf localhost:5000/v2/ >/dev/null && exit 0; sleep 0.2; done; exit 1',
    );
    expect(own.exitCode, own.stderr).toBe(0);
  });

  afterAll(async () => {
    await Promise.all([a, b].filter(Boolean).map((s) => driver.destroy(s.id)));
  });

  it('cannot push to the mirror, not even over an image the class pulls', async () => {
    const before = {
      catalog: await catalog(),
      busybox: await digest('library/busybox', 'latest'),
      nginx: await digest('library/nginx', 'latest'),
    };
    expect(before.busybox).toMatch(/^sha256:/);
    // Positive control: the same push to the learner's own registry goes through.
    const own = await sh(
      a,
      'docker tag busybox localhost:5000/library/zzprobe && docker push localhost:5000/library/zzprobe',
    );
    expect(own.exitCode, own.stderr).toBe(0);
    // A new repository first: if the mirror took it, the overwrite below is not attempted, so
    // a mirror left writable (e.g. by an older handson) fails this spec without being harmed.
    const fresh = await sh(
      a,
      `docker tag busybox ${mirror}/library/zzprobe && docker push ${mirror}/library/zzprobe 2>&1; echo "exit=$?"`,
      120_000,
    );
    expect(fresh.stdout).not.toMatch(/exit=0/);
    expect(fresh.stdout).toMatch(/405|Method not allowed/);
    const over = await sh(
      a,
      `docker tag busybox ${mirror}/library/nginx:latest && docker push ${mirror}/library/nginx:latest 2>&1; echo "exit=$?"`,
      120_000,
    );
    expect(over.stdout).not.toMatch(/exit=0/);
    expect(over.stdout).toMatch(/405|Method not allowed/);
    expect(await catalog()).toEqual(before.catalog);
    expect(await digest('library/busybox', 'latest')).toBe(before.busybox);
    expect(await digest('library/nginx', 'latest')).toBe(before.nginx);
  });

  it('cannot delete from the mirror', async () => {
    const busybox = await digest('library/busybox', 'latest');
    const del = (base: string, repo: string, ref: string) =>
      `curl -s -o /dev/null -w '%{http_code}' -X DELETE ${base}/v2/${repo}/manifests/${ref}`;
    // Positive control: a delete by digest on the learner's own registry is accepted.
    await sh(a, 'docker push -q localhost:5000/library/zzprobe');
    const ownDigest = await sh(
      a,
      `curl -sI -H 'Accept: ${MANIFEST}' localhost:5000/v2/library/zzprobe/manifests/latest | tr -d '\\r' | sed -n 's/^[Dd]ocker-[Cc]ontent-[Dd]igest: //p'`,
    );
    expect(ownDigest.stdout.trim()).toMatch(/^sha256:/);
    expect(
      (await sh(a, del('http://localhost:5000', 'library/zzprobe', ownDigest.stdout.trim())))
        .stdout,
    ).toBe('202');
    // A manifest nobody has first (a writable mirror answers 404 and loses nothing); only
    // once that is refused, the class's busybox itself.
    expect(
      (await sh(a, del(`http://${mirror}`, 'library/busybox', `sha256:${'0'.repeat(64)}`))).stdout,
    ).toBe('405');
    expect((await sh(a, del(`http://${mirror}`, 'library/busybox', busybox!))).stdout).toBe('405');
    expect(await digest('library/busybox', 'latest')).toBe(busybox);
  });

  it("cannot fill the key quota every sandbox shares; another sandbox's docker run still works", async () => {
    // Positive control: an unprivileged host user adds keys (its own quota, released at exit).
    expect(await asNobody(`perl -e '${ADD_KEYS}' 3`)).toBe('added 3 keys\n');
    const res = await sh(a, `perl -e '${ADD_KEYS}' 30000`);
    expect(res.stdout).toBe('add_key failed after 0: Function not implemented\n');
    for (const sandbox of [a, b]) {
      const run = await sh(sandbox, 'docker run --rm busybox echo ran', 120_000);
      expect(run.stdout, run.stderr).toBe('ran\n');
    }
  });

  it("cannot use up host root's inotify instances, in its namespace or a nested one", async () => {
    // Positive control: in a user namespace with no bounds of its own, 1000 instances are made.
    expect(await asNobody(`ulimit -n 4096; unshare -U perl -e '${INOTIFY}' 1000`)).toBe(
      'made 1000\n',
    );
    const direct = await sh(a, `perl -e '${INOTIFY}' 1000`);
    expect(direct.stdout).toMatch(/^inotify failed after \d+: Too many open files/);
    const nested = await sh(a, `unshare -U -r perl -e '${INOTIFY}' 1000`);
    expect(nested.stdout).toMatch(/^inotify failed after \d+: Too many open files/);
    expect(Number(/after (\d+)/.exec(direct.stdout)?.[1])).toBeLessThanOrEqual(128);
    // The other sandbox still watches files.
    expect((await sh(b, `perl -e '${INOTIFY}' 10`)).stdout).toBe('made 10\n');
  });

  describe('IPv6', () => {
    let hostService: net.Server;
    let port = 0;
    beforeAll(async () => {
      // A host service on every address, as Node listens without a host: the IPv4 firewall
      // refuses it to sandboxes; IPv6 must too.
      hostService = net.createServer((s) => s.end('host-secret\n'));
      await new Promise<void>((resolve) => hostService.listen(0, '::', resolve));
      port = (hostService.address() as net.AddressInfo).port;
    });
    afterAll(() => hostService?.close());

    /** This host's own IPv6 addresses (global ones and the link-locals of a's bridge, if any). */
    const hostAddresses = () =>
      Object.entries(os.networkInterfaces()).flatMap(([name, addrs]) =>
        (addrs ?? [])
          .filter((x) => x.family === 'IPv6' && !x.internal)
          .filter((x) => !x.address.startsWith('fe80') || name === bridgeName(a.id))
          .map((x) => x.address),
      );

    it('reaches no host service over IPv6, even with routes of its own', async () => {
      // Positive control: the service answers the host itself over IPv6.
      const self = await new Promise<string>((resolve, reject) => {
        const c = net.connect(port, '::1', () => undefined);
        c.on('data', (d) => resolve(d.toString()));
        c.on('error', reject);
      });
      expect(self).toBe('host-secret\n');
      // The learner has CAP_NET_ADMIN: a default route out of eth0 is theirs to add.
      await sh(a, 'ip -6 route add default dev eth0 2>/dev/null; true');
      const targets = hostAddresses();
      const probes = targets.map(
        (address) =>
          `timeout 5 socat -T2 - TCP6:[${address}]:${port} </dev/null 2>/dev/null | grep -q secret && echo "REACHED ${address}"`,
      );
      // The host's link-local on the sandbox's link, found as a neighbour would find it.
      probes.push(
        `for ll in $(ip -6 neigh show dev eth0 | cut -d' ' -f1) fe80::1; do timeout 5 socat -T2 - "TCP6:[$ll%eth0]:${port}" </dev/null 2>/dev/null | grep -q secret && echo "REACHED $ll"; done`,
      );
      const res = await sh(a, `${probes.join('; ')}; echo done`);
      expect(res.stdout).toBe('done\n');
      // The host keeps no IPv6 address on the sandbox's bridge.
      const bridge = await exec('ip', ['-6', '-o', 'addr', 'show', 'dev', bridgeName(a.id)]);
      expect(bridge.stdout.trim()).toBe('');
    });

    it('reaches no other sandbox over IPv6', async () => {
      await sh(
        b,
        `nohup socat TCP6-LISTEN:8089,ipv6only=1,fork,reuseaddr EXEC:'echo hi' >/dev/null 2>&1 &`,
      );
      // Positive control: the listener answers inside its own sandbox.
      await expect
        .poll(async () => (await sh(b, 'socat -T2 - TCP6:[::1]:8089 </dev/null')).stdout)
        .toBe('hi\n');
      const bLinkLocal = (
        await sh(b, "ip -6 -o addr show dev eth0 | sed -n 's/.*inet6 \\(fe80[^/]*\\).*/\\1/p'")
      ).stdout.trim();
      // Both learners give themselves addresses of one prefix and route it out of eth0.
      await sh(b, 'ip -6 addr add fd42:77::b/64 dev eth0; true');
      await sh(a, 'ip -6 addr add fd42:77::a/64 dev eth0; ip -6 route add default dev eth0; true');
      const targets = ['fd42:77::b', ...(bLinkLocal ? [`${bLinkLocal}%eth0`] : [])];
      const res = await sh(
        a,
        `${targets.map((t) => `timeout 5 socat -T2 - "TCP6:[${t}]:8089" </dev/null 2>/dev/null | grep -q hi && echo "REACHED ${t}"`).join('; ')}; echo done`,
      );
      expect(res.stdout).toBe('done\n');
    });
  });
});
