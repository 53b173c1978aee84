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

  describe('a start the server gave up on is ended in the sandbox', () => {
    let sandbox: Awaited<ReturnType<typeof startContainerSandbox>>;
    beforeAll(async () => {
      sandbox = await startContainerSandbox(docker, 'socket-tty-abandon');
    });
    afterAll(async () => {
      await sandbox?.destroy();
    });

    /** Live socat processes, run folders and sockets: what a start leaves while it runs. */
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

    /** And the sandbox still starts terminals. */
    const startsAgain = async () => {
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
      await vi.waitFor(async () => expect(await leftovers()).toEqual([]), { timeout: 10_000 });
    };

    it('while socat provably listens: no listener, run folder or socket stays behind', async () => {
      // The server looks for the sockets in an empty folder, so it can never connect: the start
      // is in flight, its listeners up in the sandbox's folder, until the server leaves.
      const elsewhere = await mkdtemp(path.join(os.tmpdir(), 'handson-socket-tty-elsewhere-'));
      try {
        const leave = new AbortController();
        const start = socketTty(sandbox.container, elsewhere, {
          cols: 80,
          rows: 24,
          signal: leave.signal,
        });
        await vi.waitFor(
          async () =>
            expect(
              (await readdir(sandbox.hostDir)).filter((f) => f.endsWith('.sock')),
            ).toHaveLength(2),
          { timeout: 30_000, interval: 100 },
        );
        leave.abort();
        await expect(start).rejects.toThrow(/^the terminal did not start/);
        // socat's own accept-timeout (30 s) is far beyond this wait: the server ended them.
        await vi.waitFor(async () => expect(await leftovers()).toEqual([]), {
          timeout: 15_000,
          interval: 200,
        });
      } finally {
        await rm(elsewhere, { recursive: true, force: true });
      }
      await startsAgain();
    });

    it('at any moment: whether or not the start got through, nothing stays behind', async () => {
      // Some are given up on before the wrapper runs, some while it runs; on a quiet machine
      // some get through before the deadline, and those are ended like any terminal.
      for (let i = 0; i < 6; i++) {
        const tty = await socketTty(sandbox.container, sandbox.hostDir, {
          cols: 80,
          rows: 24,
          startTimeoutMs: i * 20,
        }).catch((err: Error) => {
          expect(err.message).toMatch(/^the terminal did not start/);
          return undefined;
        });
        await tty?.kill();
      }
      await vi.waitFor(async () => expect(await leftovers()).toEqual([]), {
        timeout: 15_000,
        interval: 200,
      });
      await startsAgain();
    });
  });
});
