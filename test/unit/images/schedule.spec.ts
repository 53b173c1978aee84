import { describe, expect, it } from 'vitest';
import { runScheduled } from '../../../sandbox-server/src/images/schedule.ts';

/** A step that records when it starts and ends, and finishes when told to. */
function recorder() {
  const events: string[] = [];
  const finishers = new Map<string, () => void>();
  const run = async (step: { id: string }) => {
    events.push(`start ${step.id}`);
    await new Promise<void>((resolve) => finishers.set(step.id, resolve));
    events.push(`end ${step.id}`);
  };
  const finish = (id: string) => finishers.get(id)!();
  return { events, run, finish, started: () => [...finishers.keys()] };
}

describe('scheduling build steps', () => {
  it('starts a step only after the steps it needs', async () => {
    const r = recorder();
    const done = runScheduled([{ id: 'debian' }, { id: 'nginx', needs: ['debian'] }], 2, r.run);
    await expect.poll(r.started).toEqual(['debian']);
    r.finish('debian');
    await expect.poll(r.started).toEqual(['debian', 'nginx']);
    r.finish('nginx');
    await done;
    expect(r.events).toEqual(['start debian', 'end debian', 'start nginx', 'end nginx']);
  });

  it('runs independent steps side by side, no more than the limit', async () => {
    const r = recorder();
    const done = runScheduled([{ id: 'a' }, { id: 'b' }, { id: 'c' }], 2, r.run);
    await expect.poll(r.started).toEqual(['a', 'b']);
    r.finish('b');
    await expect.poll(r.started).toEqual(['a', 'b', 'c']);
    r.finish('a');
    r.finish('c');
    await done;
  });

  it('starts nothing new after a failure and reports that failure', async () => {
    const ran: string[] = [];
    const steps = [{ id: 'broken' }, { id: 'next' }, { id: 'child', needs: ['broken'] }];
    await expect(
      runScheduled(steps, 1, async (step) => {
        ran.push(step.id);
        if (step.id === 'broken') throw new Error('build failed');
      }),
    ).rejects.toThrow('build failed');
    expect(ran).toEqual(['broken']);
  });

  it('refuses a step that needs one planned after it', async () => {
    await expect(
      runScheduled([{ id: 'nginx', needs: ['debian'] }, { id: 'debian' }], 2, async () => {}),
    ).rejects.toThrow('Step "nginx" needs "debian", which is not planned before it.');
  });
});
