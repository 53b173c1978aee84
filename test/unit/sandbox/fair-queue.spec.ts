import { describe, expect, it } from 'vitest';
import { FairQueue } from '../../../sandbox-server/src/sandbox/fair-queue.ts';

/** A task the test finishes by hand. */
function gate() {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { open, opened };
}

describe('FairQueue', () => {
  it("starts another session's task next, however many one session queued first", async () => {
    const queue = new FairQueue(2, 2);
    const started: string[] = [];
    const gates = new Map<string, ReturnType<typeof gate>>();
    const task = (name: string) => () => {
      started.push(name);
      const g = gate();
      gates.set(name, g);
      return g.opened;
    };
    const greedy = Array.from({ length: 300 }, (_, i) => queue.run('greedy', task(`g${i}`)));
    const other = queue.run('other', task('o0'));
    await expect.poll(() => started).toEqual(['g0', 'g1']);
    gates.get('g0')!.open();
    await expect.poll(() => started).toEqual(['g0', 'g1', 'o0']);
    gates.get('o0')!.open();
    await other;
    expect(queue.pendingCount).toBe(298);
    for (let i = 1; i < 300; i++) {
      await expect.poll(() => gates.has(`g${i}`)).toBe(true);
      gates.get(`g${i}`)!.open();
    }
    await Promise.all(greedy);
    expect(started).toHaveLength(301);
  });

  it('runs at most perKey tasks of one key at once, even with free slots', async () => {
    const queue = new FairQueue(8, 1);
    let running = 0;
    let most = 0;
    const task = async () => {
      running++;
      most = Math.max(most, running);
      await new Promise<void>((resolve) => setImmediate(resolve));
      running--;
    };
    await Promise.all(Array.from({ length: 20 }, () => queue.run('s1', task)));
    expect(most).toBe(1);
  });

  it('passes results and errors through and keeps going after a failure', async () => {
    const queue = new FairQueue(1, 1);
    const failed = queue.run('s1', async () => {
      throw new Error('boom');
    });
    const ok = queue.run('s1', async () => 42);
    await expect(failed).rejects.toThrow('boom');
    await expect(ok).resolves.toBe(42);
    expect(queue.activeCount).toBe(0);
  });
});
