import { afterAll, describe, expect, it } from 'vitest';
import type { Sandbox } from '../../../sandbox-server/src/sandbox/driver.ts';
import { client, serverHarness } from '../server/server-harness.ts';
import { WsTerminal } from './support/ws-terminal.ts';

// A learner at a limit of their sandbox reads what happened in their terminal, in their
// language, whoever hit it (here the server's own execs, as a learner's program would).
const harness = serverHarness();
afterAll(() => harness.dispose());

const READY = { timeout: 120_000, interval: 250 };
/** Each attempt hits the limit again: the watch may take its baseline reading after the first. */
const UNTIL_TOLD = { timeout: 60_000, interval: 500 };

async function hit(sandbox: Sandbox, script: string): Promise<void> {
  await sandbox.exec(['sh', '-c', script], { timeoutMs: 30_000 }).catch(() => undefined);
}

describe('limit notices in the terminal', () => {
  it('tell a learner in Japanese when their sandbox hit its memory, process and disk limits', async () => {
    const server = await harness.start();
    const api = client(server.url);
    const s = await api.create({ lang: 'ja' });
    await expect.poll(async () => (await api.state(s)).state, READY).toBe('ready');
    const base = new URL(server.url).host;
    const res = await api.call(`/api/sessions/${s.id}/terminals`, {
      method: 'POST',
      token: s.token,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ mode: 'write' }),
    });
    const { ticket } = (await res.json()) as { ticket: string };
    const term = await WsTerminal.connect(base, s.id, ticket, { origin: `http://${base}` });
    const sandbox = await server.manager.find(s.id)!.sandbox();
    expect(term.text()).not.toContain('[handson]');

    // Memory: a process that holds more than the sandbox's 1 GiB is OOM-killed.
    await expect
      .poll(async () => {
        await hit(sandbox, 'head -c 1100M /dev/zero | tail -n 1 >/dev/null');
        return term.text();
      }, UNTIL_TOLD)
      .toMatch(/\[handson\] サンドボックスがメモリの上限 \(1 GiB\) に達した/);

    // Processes: more than the limit (1024) at once; they end by themselves a little later.
    await expect
      .poll(async () => {
        await hit(
          sandbox,
          'i=0; while [ $i -lt 1100 ]; do sleep 20 & i=$((i+1)); done 2>/dev/null',
        );
        return term.text();
      }, UNTIL_TOLD)
      .toMatch(/\[handson\] サンドボックスのプロセス数が上限 \(1024\) に達した/);

    // Disk: all of it taken at once (fallocate writes no data, so the pool is not filled).
    // Retried while the processes above still hold the limit and the script cannot start.
    await expect
      .poll(async () => {
        await hit(
          sandbox,
          '[ -e /root/fill ] || fallocate -l $(($(df --output=avail -B1 /root | tail -n 1) - 4096)) /root/fill',
        );
        return term.text();
      }, UNTIL_TOLD)
      .toMatch(/\[handson\] サンドボックスのディスク \(\d+(\.\d)? GiB\) がいっぱいです/);
    // The shell is still the learner's: it answers under the notices.
    await hit(sandbox, 'rm -f /root/fill');
    term.type('echo still-$((40+2))\r');
    await term.waitForText(/^still-42$/m, 30_000);
    await term.close();
  }, 300_000);
});
