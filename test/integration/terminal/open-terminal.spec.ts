import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Sandbox } from '../../../sandbox-server/src/sandbox/driver.ts';
import { HISTORY_DIR, openTerminal } from '../../../sandbox-server/src/terminal/index.ts';
import { engine, startContainerSandbox } from './support/container-sandbox.ts';
import { requestTicket, startTerminalServer } from './support/terminal-server.ts';
import { WsTerminal } from './support/ws-terminal.ts';

// The in-process API (what `handson verify` types solutions through) and the screen surviving
// a server restart, on a real container with the Engine API exec TTY.
const docker = engine();
let sandbox: Sandbox & { destroy(): Promise<void> };

beforeAll(async () => {
  sandbox = await startContainerSandbox(docker, 'open-terminal-spec');
});
afterAll(async () => {
  await sandbox?.destroy();
});

describe('openTerminal', () => {
  it('types a command and waits for its output on the screen', async () => {
    const term = await openTerminal(sandbox, { id: 'inproc', cols: 100, rows: 30 });
    term.write('echo result-$((20+22))\r');
    const match = await term.waitFor(/result-(\d+)/, { timeoutMs: 10_000 });
    expect(match[1]).toBe('42');
    expect(term.screenText()).toContain('result-42');
    await term.close();
  });

  it('keeps the history of each terminal in HISTORY_DIR, written as each command finishes', async () => {
    const term = await openTerminal(sandbox, { id: 'hist' });
    term.write('echo first-command\r');
    await term.waitFor(/^first-command$/m);
    await expect
      .poll(async () => (await sandbox.exec(['cat', `${HISTORY_DIR}/hist`])).stdout, {
        timeout: 10_000,
      })
      .toContain('echo first-command');
    await term.close();
  });

  it('close() ends the shell and whatever it was running', async () => {
    const term = await openTerminal(sandbox, { id: 'killme' });
    term.write('sleep 4242 &\r');
    await term.waitFor(/\[1\] \d+/);
    await term.close();
    await expect
      .poll(async () => (await sandbox.exec(['ps', '-eo', 'args'])).stdout, { timeout: 10_000 })
      .not.toContain('sleep 4242');
  });
});

describe('shell holders across a re-open (what a server restart does)', () => {
  it('without a holder, the saved screen comes back above a new shell', async () => {
    const term = await openTerminal(sandbox, { id: 'plain', holder: 'none' });
    term.write('echo plain-marker-$((3*3))\r');
    await term.waitFor(/plain-marker-9/);
    await term.release();
    const again = await openTerminal(sandbox, { id: 'plain', holder: 'none' });
    await again.waitFor(/plain-marker-9/);
    again.write('echo new-shell-ok\r');
    await again.waitFor(/^new-shell-ok$/m);
    await again.close();
  });

  it('with tmux, re-opening re-attaches the same shell and its screen', async () => {
    const term = await openTerminal(sandbox, { id: 'tmuxed', holder: 'tmux' });
    term.write('export KEPT=tmux-kept; echo tmux-marker\r');
    await term.waitFor(/^tmux-marker$/m);
    await term.release();
    const again = await openTerminal(sandbox, { id: 'tmuxed', holder: 'tmux' });
    await again.waitFor(/tmux-marker/);
    again.write('echo $KEPT\r');
    await again.waitFor(/^tmux-kept$/m);
    await again.close();
  });
});

describe('screen across a server restart', () => {
  it('a new server shows the previous screen above a working shell', async () => {
    const first = await startTerminalServer(docker);
    const session = await first.createSession();
    const ticket = (await requestTicket(first.base, session)).json.ticket;
    const before = await WsTerminal.connect(first.base, session.id, ticket);
    before.type('echo screen-before-restart\r');
    await before.waitForText(/^screen-before-restart$/m);
    const kept = new Map([
      [session.id, { token: session.token, sandbox: first.sandboxes.get(session.id)! }],
    ]);
    await first.stop({ keepSandboxes: true });

    const second = await startTerminalServer(docker, kept);
    try {
      const again = await WsTerminal.connect(
        second.base,
        session.id,
        (await requestTicket(second.base, session)).json.ticket,
      );
      await again.waitForText(/^screen-before-restart$/m);
      again.type('echo after-$((40+2))\r');
      await again.waitForText(/^after-42$/m);
      await again.close();
    } finally {
      await second.stop();
    }
  });
});
