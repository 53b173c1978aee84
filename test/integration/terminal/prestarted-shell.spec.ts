import { afterAll, describe, expect, it } from 'vitest';
import { HISTORY_DIR } from '../../../sandbox-server/src/sandbox/shell-command.ts';
import { client, serverHarness } from '../server/server-harness.ts';
import { WsTerminal } from './support/ws-terminal.ts';

// A sandbox booted ahead (warm pool, workshop seat) has its main shell running before its
// learner comes: their first open attaches to it instead of starting a shell (an Engine API exec).
const harness = serverHarness();
afterAll(async () => {
  await harness.dispose();
});

const READY = { timeout: 120_000, interval: 250 };
const PID_FILE = '/root/.handson/pids/main';

describe("a booted sandbox's main shell", () => {
  it('is already running when its learner first opens the terminal, as the terminal contract says', async () => {
    const server = await harness.start({ warmPool: 1 });
    await server.pool!.settled();
    expect(server.pool!.available).toBe(1);
    const api = client(server.url);
    const session = await api.create();
    await expect.poll(async () => (await api.state(session)).state, READY).toBe('ready');

    // The shell records its pid as it starts: read it before anyone asked for a terminal.
    const sandboxId = server.manager.find(session.id)!.row.sandboxId!;
    const sandbox = (await harness.driver.get(sandboxId))!;
    const before = (await sandbox.exec(['cat', PID_FILE])).stdout.trim();
    expect(before).toMatch(/^\d+$/);

    const res = await api.call(`/api/sessions/${session.id}/terminals`, {
      method: 'POST',
      token: session.token,
      body: JSON.stringify({ mode: 'write' }),
    });
    const { ticket } = (await res.json()) as { ticket: string };
    const term = await WsTerminal.connect(new URL(server.url).host, session.id, ticket);
    try {
      term.type('echo "pid=$$ in=$PWD"\r');
      await term.waitForText(/pid=\d+ in=\/root\/work/, 20_000);
      // The same shell: no new one was started (a new one would also have ended the old one).
      expect(term.text().match(/pid=(\d+) in=/)?.[1]).toBe(before);
      expect((await sandbox.exec(['cat', PID_FILE])).stdout.trim()).toBe(before);
      // Its history goes where the main terminal's always goes.
      await expect
        .poll(async () => (await sandbox.exec(['cat', `${HISTORY_DIR}/main`])).stdout)
        .toContain('echo "pid=$$ in=$PWD"');
    } finally {
      await term.close();
    }
  });
});
