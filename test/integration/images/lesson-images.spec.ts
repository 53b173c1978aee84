import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig, packagesUrl, registryAddress } from '../../../sandbox-server/src/config.ts';
import { buildImages, expectedImages } from '../../../sandbox-server/src/images/index.ts';
import { listRepositories } from '../../../sandbox-server/src/images/registry-client.ts';
import { bodyOf, docker, removeTestContainers, runToExit, startDetached } from './containers.ts';

// The lesson images; the sandbox image is proven by the sandbox driver's own tests.
const LESSON_IMAGES = ['debian', 'busybox', 'hello-world', 'nginx', 'redis', 'webapp', 'registry'];
const cfg = loadConfig();

describe('lesson images from Debian packages', () => {
  beforeAll(async () => {
    await removeTestContainers();
    await buildImages({ only: LESSON_IMAGES, log: () => {} });
  }, 900_000);
  afterAll(removeTestContainers);

  it('the registry catalog lists every lesson image under its Docker Hub name', async () => {
    const repositories = await listRepositories(`http://127.0.0.1:${cfg.registry.port}`);
    const wanted = expectedImages()
      .filter((image) => image.pushed)
      .map((image) => image.repository);
    expect(repositories).toEqual(expect.arrayContaining([...new Set(wanted)]));
  });

  it('a registry mirror client on the sandbox bridge gets every lesson image by its Docker Hub name', async () => {
    const gateway = registryAddress(cfg);
    const accept = 'application/vnd.docker.distribution.manifest.v2+json';
    const script = expectedImages()
      .filter((image) => image.pushed)
      .map(
        (image) =>
          `wget -qO- --header 'Accept: ${accept}' http://${gateway}/v2/${image.repository}/manifests/${image.tag} | grep -c '"schemaVersion": 2'`,
      )
      .join(' && ');
    const { code, output } = await runToExit('busybox', ['sh', '-c', script]);
    expect(code).toBe(0);
    expect(output.trim().split(/\s+/)).toEqual(
      expectedImages()
        .filter((image) => image.pushed)
        .map(() => '1'),
    );
  });

  it('busybox runs and echoes', async () => {
    expect(await runToExit('busybox', ['echo', 'hello from busybox'])).toEqual({
      code: 0,
      output: 'hello from busybox\r\n',
    });
  });

  it('busybox starts a shell by default', async () => {
    const info = await docker.getImage('busybox').inspect();
    expect(info.Config.Cmd).toEqual(['sh']);
  });

  it('hello-world greets and exits', async () => {
    const { code, output } = await runToExit('hello-world');
    expect(code).toBe(0);
    expect(output).toContain('Hello from Docker!');
  });

  it('nginx serves its welcome page on port 80', async () => {
    const { ip } = await startDetached('nginx');
    await expect
      .poll(() => bodyOf(`http://${ip}/`), { timeout: 15_000 })
      .toContain('Welcome to nginx!');
    const info = await docker.getImage('nginx').inspect();
    expect(info.Config.Cmd).toEqual(['nginx', '-g', 'daemon off;']);
    expect(Object.keys(info.Config.ExposedPorts ?? {})).toEqual(['80/tcp']);
  });

  it('nginx is reachable from a busybox container on the same network', async () => {
    const { ip } = await startDetached('nginx');
    await expect
      .poll(async () => (await runToExit('busybox', ['wget', '-qO-', `http://${ip}/`])).output, {
        timeout: 15_000,
      })
      .toContain('Welcome to nginx!');
  });

  it('training/webapp answers "Hello world!" on port 5000, started by `python app.py`', async () => {
    const { ip } = await startDetached('training/webapp');
    await expect.poll(() => bodyOf(`http://${ip}:5000/`), { timeout: 15_000 }).toBe('Hello world!');
    const info = await docker.getImage('training/webapp').inspect();
    expect(info.Config.Cmd).toEqual(['python', 'app.py']);
    expect(info.Config.WorkingDir).toBe('/opt/webapp');
    expect(Object.keys(info.Config.ExposedPorts ?? {})).toEqual(['5000/tcp']);
  });

  it('redis answers on 6379 from another container and keeps its data in the /data volume', async () => {
    const { ip } = await startDetached('redis');
    await expect
      .poll(async () => (await runToExit('redis', ['redis-cli', '-h', ip, 'ping'])).output, {
        timeout: 15_000,
      })
      .toContain('PONG');
    const info = await docker.getImage('redis').inspect();
    expect(Object.keys(info.Config.Volumes ?? {})).toEqual(['/data']);
    expect(info.Config.WorkingDir).toBe('/data');
    expect(Object.keys(info.Config.ExposedPorts ?? {})).toEqual(['6379/tcp']);
  });

  it('registry serves the Registry API on 5000 without auth', async () => {
    const { ip } = await startDetached('registry');
    await expect
      .poll(() => bodyOf(`http://${ip}:5000/v2/_catalog`), { timeout: 15_000 })
      .toContain('"repositories"');
    const info = await docker.getImage('registry').inspect();
    expect(Object.keys(info.Config.Volumes ?? {})).toEqual(['/var/lib/docker-registry']);
  });

  it('debian installs cowsay from the local package repository, its only apt source', async () => {
    const { code, output } = await runToExit('debian', [
      'bash',
      '-c',
      'cat /etc/apt/sources.list; ls /etc/apt/sources.list.d | wc -l; apt-get update && apt-get install -y cowsay && /usr/games/cowsay moo',
    ]);
    expect(code).toBe(0);
    const lines = output.split(/\r?\n/);
    expect(lines[0]).toBe(`deb [trusted=yes] ${packagesUrl(cfg)}/debian ./`);
    expect(lines[1]).toBe('0');
    // Every index and package apt fetched came from the local repository.
    const sources = [...output.matchAll(/(?:Get|Hit|Ign):\d+ (\S+)/g)].map((m) => m[1]);
    expect(sources.length).toBeGreaterThan(0);
    expect(new Set(sources)).toEqual(new Set([`${packagesUrl(cfg)}/debian`]));
    expect(output).toContain('< moo >');
  });

  it('a second run finds everything in place and does nothing, within 5 s', async () => {
    const summary = await buildImages({ only: LESSON_IMAGES, json: true });
    expect(summary.images.map((image) => [image.name, image.cached])).toEqual(
      LESSON_IMAGES.map((name) => [name, true]),
    );
    expect(summary.ms).toBeLessThan(5_000);
  });
});
