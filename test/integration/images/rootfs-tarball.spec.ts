import { Readable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../sandbox-server/src/config.ts';
import { followProgress } from '../../../sandbox-server/src/images/engine.ts';
import { docker, runToExit } from './containers.ts';

const cfg = loadConfig();
const IMPORTED = 'handson-test/mybox:latest';

describe('the root filesystem tarball of the package repository', () => {
  afterAll(async () => {
    await docker
      .getImage(IMPORTED)
      .remove({ force: true })
      .catch(() => undefined);
  });

  it('imports as a working busybox system (curl …/rootfs/busybox-rootfs.tar | docker import - mybox)', async () => {
    const response = await fetch(`http://127.0.0.1:${cfg.packages.port}/rootfs/busybox-rootfs.tar`);
    expect(response.status).toBe(200);
    const body = Readable.fromWeb(response.body as import('node:stream/web').ReadableStream);
    const stream = (await docker.importImage(body, {
      repo: 'handson-test/mybox',
      tag: 'latest',
    } as never)) as unknown as NodeJS.ReadableStream;
    await followProgress(docker, stream);
    expect(await runToExit(IMPORTED, ['/bin/sh', '-c', 'echo imported; ls /bin/busybox'])).toEqual({
      code: 0,
      output: 'imported\r\n/bin/busybox\r\n',
    });
  });
});
