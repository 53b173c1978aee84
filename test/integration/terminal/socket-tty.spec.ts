import { mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LABELS } from '../../../sandbox-server/src/config.ts';
import {
  HOST_DIR_IN_SANDBOX,
  SANDBOX_IMAGE,
} from '../../../sandbox-server/src/sandbox/dind/profile.ts';
import { socketTty } from '../../../sandbox-server/src/sandbox/dind/socket-tty.ts';
import { engine } from './support/container-sandbox.ts';

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
});
