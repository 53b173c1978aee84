import { afterAll, describe, expect, it } from 'vitest';
import { LABELS } from '../../../sandbox-server/src/config.ts';
import { SERVER_LABEL } from '../../../sandbox-server/src/sessions/adoption.ts';
import { client, serverHarness } from '../server/server-harness.ts';
import { serverIdOf } from './serve-process.ts';

// Someone (an operator's `docker rm -f`, the OOM killer, a second server of old) kills a booted
// pool sandbox while it waits: the next learner must not be handed it.
describe('a warm-pool sandbox killed behind the server’s back', () => {
  const harness = serverHarness();
  afterAll(() => harness.dispose());

  it('is replaced transparently: the learner’s session comes up ready', async () => {
    const server = await harness.start({ warmPool: 1 });
    const serverId = serverIdOf(harness.config.database);
    const pooled = async () =>
      (await harness.driver.list()).filter(
        (r) => r.labels[SERVER_LABEL] === serverId && r.labels[LABELS.pool] === 'true',
      );
    await expect.poll(() => server.pool!.available, { timeout: 90_000 }).toBe(1);
    const [victim] = await pooled();
    await harness.driver.docker.getContainer(harness.driver.containerName(victim!.id)).kill();

    const api = client(server.url);
    const s = await api.create();
    await expect
      .poll(async () => (await api.state(s)).state, { timeout: 90_000 })
      .not.toBe('starting');
    expect(await api.state(s)).toMatchObject({ state: 'ready' });
    expect(server.manager.find(s.id)!.row.sandboxId).not.toBe(victim!.id);
    await expect
      .poll(async () => (await harness.driver.list()).some((r) => r.id === victim!.id))
      .toBe(false);
  });
});
