import { once } from 'node:events';
import { existsSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LABELS, loadConfig } from '../../../sandbox-server/src/config.ts';
import { plannedCgroupDirs } from '../../../sandbox-server/src/sandbox/dind/cgroups.ts';
import { DindDriver } from '../../../sandbox-server/src/sandbox/dind/dind-driver.ts';
import { TERMINAL_STARTS_AT_ONCE } from '../../../sandbox-server/src/sandbox/dind/shared-by-sandboxes.ts';
import type { Sandbox } from '../../../sandbox-server/src/sandbox/driver.ts';
import { bootSandbox, dindDriver, leftovers, sh } from './support.ts';

describe('dind driver on the real sandbox engine', () => {
  let driver: DindDriver;
  let sandbox: Sandbox;

  beforeAll(async () => {
    driver = await dindDriver();
    sandbox = await bootSandbox(driver, 'spec-dind');
  });
  afterAll(async () => {
    if (sandbox) await driver.destroy(sandbox.id);
  });

  it('runs `docker run --rm busybox echo ok` inside, pulled through the local mirror', async () => {
    const res = await sandbox.exec(['docker', 'run', '--rm', 'busybox', 'echo', 'ok'], {
      timeoutMs: 60_000,
    });
    expect(res.stderr).not.toMatch(/error/i);
    expect(res.stdout.trim().split('\n').at(-1)).toBe('ok');
    expect(res.exitCode).toBe(0);
  });

  it('gives the learner a workspace, a friendly hostname and a UTF-8 locale', async () => {
    const res = await sh(sandbox, 'pwd; hostname; echo こんにちは');
    expect(res.stdout).toBe('/root/work\nhandson\nこんにちは\n');
  });

  it('reports a failing command by exit code and stderr', async () => {
    const res = await sh(sandbox, 'echo oops >&2; exit 3');
    expect(res).toEqual({ exitCode: 3, stdout: '', stderr: 'oops\n' });
  });

  it('kills a command that outlives its timeout', async () => {
    await expect(sandbox.exec(['sleep', '30'], { timeoutMs: 300 })).rejects.toThrow(
      /did not finish/,
    );
    await expect
      .poll(async () => (await sh(sandbox, 'pgrep -x sleep || true')).stdout.trim())
      .toBe('');
  });

  it('writes and reads workspace files, and refuses paths that leave it', async () => {
    await sandbox.writeFile('site/index.html', Buffer.from('<h1>やあ</h1>\n'));
    expect((await sandbox.readFile('site/index.html')).toString()).toBe('<h1>やあ</h1>\n');
    expect((await sh(sandbox, 'cat /root/work/site/index.html')).stdout).toBe('<h1>やあ</h1>\n');
    await expect(sandbox.readFile('../etc/passwd')).rejects.toThrow(/leaves the workspace/);
    await expect(sandbox.writeFile('/etc/motd', Buffer.from('x'))).rejects.toThrow(/absolute/);
    await expect(sandbox.readFile('missing.txt')).rejects.toThrow(/cannot read/);
    await expect(sandbox.writeFile('big.bin', Buffer.alloc(1024 * 1024 + 1))).rejects.toThrow(
      /1 MiB/,
    );
  });

  it('answers the inner engine over the unix socket in the host directory', async () => {
    const info = await sandbox.engine().info();
    expect(info.Name).toBe('handson');
    expect(info.RegistryConfig?.Mirrors).toContain(
      `http://10.77.0.1:${loadConfig().registry.port}/`,
    );
  });

  it('connects a byte stream to a port inside the sandbox', async () => {
    await sh(
      sandbox,
      'nohup socat TCP-LISTEN:7070,reuseaddr,fork EXEC:"echo pong" >/dev/null 2>&1 &',
    );
    await expect
      .poll(async () => (await sh(sandbox, 'ss -ltn | grep -c :7070 || true')).stdout.trim())
      .toBe('1');
    const stream = await sandbox.connect(7070);
    const chunks: Buffer[] = [];
    stream.on('data', (c: Buffer) => chunks.push(c));
    await once(stream, 'end');
    expect(Buffer.concat(chunks).toString()).toBe('pong\n');
  });

  it('opens a TTY whose kill ends the process', async () => {
    const tty = await sandbox.openTty({ cmd: ['bash', '--norc'], cols: 80, rows: 24 });
    const seen: Buffer[] = [];
    tty.onData((c) => seen.push(c));
    // A background job and a foreground one: both belong to the terminal and must die with it.
    tty.write('sleep 1001 & echo $((6*7)); sleep 1000\r');
    await expect.poll(() => Buffer.concat(seen).toString()).toContain('42');
    const exited = new Promise<number>((resolve) => tty.onExit(resolve));
    await tty.kill();
    await exited;
    await expect
      .poll(async () => (await sh(sandbox, 'pgrep -x sleep || true')).stdout.trim())
      .toBe('');
  });

  it('starts a burst of terminals beyond the queue width, every one of them', async () => {
    // More at once than TERMINAL_STARTS_AT_ONCE: the rest wait their turn instead of timing out.
    const count = TERMINAL_STARTS_AT_ONCE * 2 + 1;
    const ttys = await Promise.all(
      Array.from({ length: count }, (_, i) =>
        sandbox.openTty({
          cmd: ['sh', '-c', `echo tty-$((${i}+1000)); sleep 30`],
          cols: 80,
          rows: 24,
        }),
      ),
    );
    const said = ttys.map((tty) => {
      const seen: Buffer[] = [];
      tty.onData((c) => seen.push(c));
      return () => Buffer.concat(seen).toString();
    });
    try {
      for (const [i, output] of said.entries()) {
        await expect.poll(output).toContain(`tty-${i + 1000}`);
      }
    } finally {
      await Promise.all(ttys.map((tty) => tty.kill()));
    }
  });

  it('labels the sandbox and re-adopts it from a new driver instance', async () => {
    const fresh = new DindDriver(loadConfig());
    const listed = await fresh.list();
    const record = listed.find((r) => r.id === sandbox.id);
    expect(record).toMatchObject({ sessionId: 'spec-dind', driver: 'dind' });
    expect(record?.labels[LABELS.managed]).toBe('true');
    const again = await fresh.get(sandbox.id);
    expect(again?.sessionId).toBe('spec-dind');
    expect((await again!.exec(['docker', 'ps', '-q'])).exitCode).toBe(0);
    expect(await fresh.get('0000000000')).toBeUndefined();
  });

  it('destroys everything a sandbox owned: container, network, volume, disk, loop device, cgroups', async () => {
    const other = await driver.create({ sessionId: 'spec-destroy' });
    expect(await leftovers(driver, other.id)).toEqual(
      expect.arrayContaining(['container', 'network', 'disk file', 'host directory']),
    );
    const { Id } = await driver.docker.getContainer(driver.containerName(other.id)).inspect();
    const cgroups = plannedCgroupDirs(
      Id,
      loadConfig().engine.cgroupParent,
      readFileSync('/proc/self/mountinfo', 'utf8'),
    );
    // The sandbox is in its delegated cgroups (the memory one at least, on v1 and v2 hosts).
    expect(cgroups.filter((dir) => existsSync(dir)).length).toBeGreaterThan(0);
    await driver.destroy(other.id);
    expect(await leftovers(driver, other.id)).toEqual([]);
    expect(cgroups.filter((dir) => existsSync(dir))).toEqual([]);
    // Idempotent.
    await driver.destroy(other.id);
  });
});
