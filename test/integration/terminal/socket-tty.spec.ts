import { mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { LABELS } from '../../../sandbox-server/src/config.ts';
import {
  HOST_DIR_IN_SANDBOX,
  SANDBOX_IMAGE,
} from '../../../sandbox-server/src/sandbox/dind/profile.ts';
import { socketTty } from '../../../sandbox-server/src/sandbox/dind/socket-tty.ts';
import { engine, startContainerSandbox } from './support/container-sandbox.ts';

// A host folder the sandbox's (remapped) root cannot write: socat cannot create its sockets.
const docker = engine();
let hostDir: string;
let container: Awaited<ReturnType<typeof docker.createContainer>>;

beforeAll(async () => {
  hostDir = await mkdtemp(path.join(os.tmpdir(), 'handson-socket-tty-'));
  container = await docker.createContainer({
    Image: SANDBOX_IMAGE,
    Entrypoint: ['sleep', 'infinity'],
    Labels: { [LABELS.managed]: 'true', [LABELS.kind]: 'terminal-test' },
    HostConfig: { NetworkMode: 'none', Binds: [`${hostDir}:${HOST_DIR_IN_SANDBOX}`] },
  });
  await container.start();
});
afterAll(async () => {
  await container?.remove({ force: true });
  await rm(hostDir, { recursive: true, force: true });
});

describe('socketTty', () => {
  it("says why when socat cannot listen in the sandbox's folder, and leaves nothing there", async () => {
    await expect(socketTty(container, hostDir, { cols: 80, rows: 24 })).rejects.toThrow(
      /^the terminal did not start: .*Permission denied/,
    );
    expect(await readdir(hostDir)).toEqual([]);
  });

  it('ends a start it gave up on: no listener, run folder or socket stays behind', async () => {
    const sandbox = await startContainerSandbox(docker, 'socket-tty-abandon');
    try {
      const leftovers = async () => {
        const res = await sandbox.exec([
          'sh',
          '-c',
          // Live socat processes (this container's init, `sleep`, leaves zombies unreaped).
          'ps -eo stat=,comm= | awk \'$1 !~ /^Z/ && $2 == "socat"\'; ls -d /run/handson-tty-* 2>/dev/null; true',
        ]);
        return [
          ...res.stdout.trim().split('\n').filter(Boolean),
          ...(await readdir(sandbox.hostDir)),
        ];
      };
      // Several, so that some are given up on before the wrapper runs and some after.
      for (let i = 0; i < 6; i++) {
        await expect(
          socketTty(sandbox.container, sandbox.hostDir, {
            cols: 80,
            rows: 24,
            startTimeoutMs: i * 20,
          }),
        ).rejects.toThrow(/^the terminal did not start/);
      }
      // socat's own accept-timeout (30 s) is far beyond this wait: the server ended them.
      await vi.waitFor(async () => expect(await leftovers()).toEqual([]), {
        timeout: 15_000,
        interval: 200,
      });
      // And the sandbox still starts terminals.
      const tty = await socketTty(sandbox.container, sandbox.hostDir, {
        cols: 80,
        rows: 24,
        cmd: ['echo', 'started'],
      });
      let out = '';
      tty.onData((b) => {
        out += b.toString();
      });
      await vi.waitFor(() => expect(out).toContain('started'), { timeout: 10_000 });
    } finally {
      await sandbox.destroy();
    }
  });
});
