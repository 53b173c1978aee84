import { describe, expect, it } from 'vitest';
import type { Sandbox, TerminalOptions } from '../../../sandbox-server/src/sandbox/driver.ts';
import { PrestartedShells } from '../../../sandbox-server/src/terminal/prestarted-shells.ts';
import { TerminalRegistry } from '../../../sandbox-server/src/terminal/terminal-registry.ts';
import { FakeTty } from './fake-tty.ts';

/** A sandbox whose every TTY start is recorded (each is an Engine API exec in a dind sandbox). */
function sandboxStartingTtys(id = 'sb1') {
  const started: { opts: TerminalOptions; tty: FakeTty }[] = [];
  const sandbox = {
    id,
    sessionId: 'warm-pool',
    exec: async () => ({ exitCode: 0, stdout: '', stderr: '' }),
    openTty: async (opts: TerminalOptions) => {
      const tty = new FakeTty();
      started.push({ opts, tty });
      return tty;
    },
    saveScreen: async () => undefined,
  } as unknown as Sandbox;
  return { sandbox, started };
}

describe('main shells started ahead', () => {
  it("a booted sandbox's first main open attaches to the shell started ahead: no new start", async () => {
    const { sandbox, started } = sandboxStartingTtys();
    const shells = new PrestartedShells();
    await shells.start(sandbox);
    expect(started).toHaveLength(1);
    started[0]!.tty.emit('root@sandbox:~/work# ');

    const registry = new TerminalRegistry(
      async () => sandbox,
      undefined,
      (id) => shells.take(id),
    );
    const main = await registry.open();
    expect(started).toHaveLength(1);
    expect(main.id).toBe('main');
    await expect(main.waitFor(/root@sandbox/)).resolves.toBeTruthy();
    // Other terminals start as before, and the shell is handed over once only.
    await registry.open('second');
    expect(started).toHaveLength(2);
    expect(await shells.take(sandbox.id)).toBeUndefined();
    await registry.closeAll();
  });

  it('a shell that ended before its learner came is not handed out: a new one starts', async () => {
    const { sandbox, started } = sandboxStartingTtys();
    const shells = new PrestartedShells();
    await shells.start(sandbox);
    started[0]!.tty.end(0);
    const registry = new TerminalRegistry(
      async () => sandbox,
      undefined,
      (id) => shells.take(id),
    );
    const main = await registry.open();
    expect(started).toHaveLength(2);
    expect(main.alive).toBe(true);
    await registry.closeAll();
  });

  it('a start that failed leaves nothing to take; another sandbox has its own', async () => {
    const shells = new PrestartedShells();
    const broken = {
      id: 'sb-broken',
      openTty: async () => {
        throw new Error('the terminal did not start');
      },
    } as unknown as Sandbox;
    await expect(shells.start(broken)).rejects.toThrow('did not start');
    expect(await shells.take('sb-broken')).toBeUndefined();
    const { sandbox } = sandboxStartingTtys('sb2');
    await shells.start(sandbox);
    expect(await shells.take('sb1')).toBeUndefined();
    expect((await shells.take('sb2'))?.alive).toBe(true);
  });
});
