import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../sandbox-server/src/config.ts';
import { PortForwarders } from '../../../sandbox-server/src/sandbox/dind/port-forwarders.ts';
import type { SandboxInit } from '../../../sandbox-server/src/sandbox/dind/sandbox-netns.ts';
import type { Sandbox } from '../../../sandbox-server/src/sandbox/driver.ts';
import { startSandbox } from '../checks/sandbox-fixture.ts';

/** Host processes whose command line names `needle` (socat listeners in a folder). */
function processesNaming(needle: string): number[] {
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .filter((pid) => {
      try {
        return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(needle);
      } catch {
        return false;
      }
    })
    .map(Number);
}

let sandbox: Sandbox;
let stop: () => Promise<void>;
let findInit: () => Promise<SandboxInit>;
const dir = mkdtempSync(path.join(os.tmpdir(), 'handson-ports-'));

beforeAll(async () => {
  ({ sandbox, stop } = await startSandbox('port-listeners'));
  const engine = new Docker({ socketPath: loadConfig().engine.socket });
  findInit = async () => {
    const info = await engine.getContainer(`handson-sb-${sandbox.id}`).inspect();
    return { pid: info.State.Pid, containerId: info.Id };
  };
}, 120_000);

afterAll(async () => {
  await stop?.();
  rmSync(dir, { recursive: true, force: true });
});

describe('port listeners per sandbox (a learner scanning every port)', () => {
  it('keeps at most the limit of host listeners for one sandbox, ending the least recently used', async () => {
    const forwarders = new PortForwarders(dir, { perSandbox: 3, idleMs: 60_000 });
    for (let port = 9001; port <= 9020; port++) {
      const socket = await forwarders.connect(sandbox.id, findInit, port);
      socket.destroy();
    }
    expect(forwarders.listenerCount(sandbox.id)).toBe(3);
    await expect.poll(() => processesNaming(`${dir}/${sandbox.id}/`).length).toBe(3);
    forwarders.close(sandbox.id);
  });

  it('ends listeners nobody used for the idle time; the next request starts one again', async () => {
    const forwarders = new PortForwarders(dir, { perSandbox: 8, idleMs: 60_000 });
    (await forwarders.connect(sandbox.id, findInit, 9100)).destroy();
    expect(forwarders.listenerCount(sandbox.id)).toBe(1);
    forwarders.reapIdle(Date.now() + 60_001);
    expect(forwarders.listenerCount(sandbox.id)).toBe(0);
    await expect.poll(() => processesNaming(`${dir}/${sandbox.id}/`)).toEqual([]);
    (await forwarders.connect(sandbox.id, findInit, 9100)).destroy();
    expect(forwarders.listenerCount(sandbox.id)).toBe(1);
    forwarders.close(sandbox.id);
  });
});
