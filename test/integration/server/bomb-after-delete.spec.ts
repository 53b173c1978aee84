import { readdir, readFile } from 'node:fs/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { client, serverHarness } from './server-harness.ts';

let harness = serverHarness();
afterEach(async () => {
  await harness.dispose();
  harness = serverHarness();
});

const READY = { timeout: 90_000, interval: 250 };

/** Host processes whose cgroup path names the container: what is still running of it. */
async function processesOf(containerId: string): Promise<number> {
  let count = 0;
  for (const pid of (await readdir('/proc')).filter((name) => /^\d+$/.test(name))) {
    const cgroup = await readFile(`/proc/${pid}/cgroup`, 'utf8').catch(() => '');
    if (cgroup.includes(containerId)) count++;
  }
  return count;
}

describe('a learner who runs a fork bomb', () => {
  it('burns at most one CPU, and nothing of it keeps running after DELETE', async () => {
    const server = await harness.start();
    const api = client(server.url);
    const s = await api.create({ lang: 'en' });
    await expect.poll(async () => (await api.state(s)).state, READY).toBe('ready');
    const sandbox = await server.manager.find(s.id)!.sandbox();
    const info = await harness.driver.docker
      .getContainer(harness.driver.containerName(sandbox.id))
      .inspect();
    expect(info.HostConfig.NanoCpus).toBe(1e9);

    void sandbox
      .exec(['bash', '-c', 'b() { b | b & }; b; sleep 600'], { timeoutMs: 120_000 })
      .catch(() => undefined);
    await expect.poll(() => processesOf(info.Id), { timeout: 30_000 }).toBeGreaterThan(100);

    const del = await api.call(`/api/sessions/${s.id}`, { method: 'DELETE', token: s.token });
    expect(del.status).toBe(204);
    await expect.poll(() => processesOf(info.Id), { timeout: 30_000 }).toBe(0);
  });
});
