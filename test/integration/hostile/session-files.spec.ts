import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { RunningServer } from '../../../sandbox-server/src/server/start-server.ts';
import { client, serverHarness } from '../server/server-harness.ts';

const READY = { timeout: 90_000, interval: 250 };
const harness = serverHarness();
let server: RunningServer;
let api: ReturnType<typeof client>;
let s: { id: string; token: string };

beforeAll(async () => {
  server = await harness.start();
  api = client(server.url);
  s = await api.create({ lang: 'en' });
  await vi.waitFor(async () => {
    if ((await api.state(s)).state !== 'ready') throw new Error('the sandbox is still starting');
  }, READY);
  const sandbox = await server.manager.find(s.id)!.sandbox();
  const made = await sandbox.exec(
    ['sh', '-c', 'truncate -s 10G huge.bin && mkfifo pipe && ln -s /dev/zero zeros'],
    { timeoutMs: 30_000 },
  );
  if (made.exitCode !== 0) throw new Error(`could not make the files: ${made.stderr}`);
}, 120_000);
afterAll(() => harness.dispose(), 60_000);

describe("a learner's hostile files, read through GET …/files/", () => {
  it('a 10 GB file is refused 413 too_large without being read into memory', async () => {
    const rssBefore = process.memoryUsage().rss;
    const res = await api.call(`/api/sessions/${s.id}/files/huge.bin`, { token: s.token });
    expect(res.status).toBe(413);
    expect(await res.json()).toMatchObject({ error: { code: 'too_large' } });
    expect(process.memoryUsage().rss - rssBefore).toBeLessThan(64 * 2 ** 20);
  });

  it('a FIFO and a link to /dev/zero are answered (404), never held open or read forever', async () => {
    for (const name of ['pipe', 'zeros']) {
      const res = await api.call(`/api/sessions/${s.id}/files/${name}`, {
        token: s.token,
        signal: AbortSignal.timeout(20_000),
      });
      expect(res.status, name).toBe(404);
    }
  });
});
