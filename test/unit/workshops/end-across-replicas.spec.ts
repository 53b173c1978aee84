import { afterEach, describe, expect, it, vi } from 'vitest';
import { loadConfig } from '../../../sandbox-server/src/config.ts';
import { contentDir, lessonCatalog } from '../../../sandbox-server/src/lessons/catalog.ts';
import { ProgressRecorder } from '../../../sandbox-server/src/progress/progress-recorder.ts';
import { SessionManager } from '../../../sandbox-server/src/sessions/session-manager.ts';
import { loadSessionSettings } from '../../../sandbox-server/src/sessions/settings.ts';
import { openSqlite } from '../../../sandbox-server/src/store/sqlite/open-sqlite.ts';
import { SqliteAttemptRepository } from '../../../sandbox-server/src/store/sqlite/sqlite-attempt-repository.ts';
import { SqliteProgressRepository } from '../../../sandbox-server/src/store/sqlite/sqlite-progress-repository.ts';
import { SqliteSessionRepository } from '../../../sandbox-server/src/store/sqlite/sqlite-session-repository.ts';
import { SqliteWorkshopRepository } from '../../../sandbox-server/src/store/sqlite/sqlite-workshop-repository.ts';
import type { ChangeRelay } from '../../../sandbox-server/src/workshops/change-relay.ts';
import {
  type WorkshopChange,
  WorkshopService,
} from '../../../sandbox-server/src/workshops/workshop-service.ts';
import { FakeDriver } from '../sessions/fake-driver.ts';

/**
 * Replicas of a cluster as WorkshopServices on one store, joined by an in-memory stand-in for
 * Postgres NOTIFY: what one publishes, the others hear (asynchronously, as over the wire).
 */
function replicas(count: number) {
  const db = openSqlite(':memory:');
  const repo = new SqliteWorkshopRepository(db);
  const sessions = new SqliteSessionRepository(db);
  const progress = new ProgressRecorder(
    new SqliteAttemptRepository(db),
    new SqliteProgressRepository(db),
  );
  const catalog = lessonCatalog(contentDir(loadConfig({ HANDSON_DATABASE: ':memory:' })));
  const listeners = new Map<number, (change: WorkshopChange) => void>();
  /** Every change any replica published, in order: what the other replicas were told. */
  const published: WorkshopChange[] = [];
  const relayOf = (me: number): ChangeRelay => ({
    async publish(change) {
      published.push(change);
      for (const [other, listener] of listeners) {
        if (other !== me) queueMicrotask(() => listener(change));
      }
    },
    onMessage(listener) {
      listeners.set(me, listener);
      return () => listeners.delete(me);
    },
  });
  const services = Array.from({ length: count }, (_, i) => {
    const manager = new SessionManager({
      driver: new FakeDriver(),
      repo: sessions,
      settings: loadSessionSettings({}),
      capacity: 10,
    });
    return new WorkshopService({
      repo,
      manager,
      progress,
      catalog,
      capacity: 10,
      relay: relayOf(i),
    });
  });
  /** The replica `i` dies: it hears nothing more and its timers never fire. */
  const kill = (i: number) => {
    listeners.delete(i);
    services[i]!.close();
  };
  return { services, repo, published, kill };
}

afterEach(() => {
  vi.useRealTimers();
});

describe('a workshop end in a cluster', () => {
  it('ends on time on a surviving replica when the replica that created it has died', async () => {
    vi.useFakeTimers();
    const { services, repo, published, kill } = replicas(2);
    await Promise.all(services.map((s) => s.start()));
    const heard: WorkshopChange[] = [];
    services[1]!.onChange((change) => heard.push(change));
    const w = await services[0]!.create({
      lessons: ['first-containers'],
      durationMinutes: 5,
      maxLearners: 2,
    });
    // The survivor has armed its own timer from the `created` notification.
    await vi.advanceTimersByTimeAsync(0);
    kill(0);

    await vi.advanceTimersByTimeAsync(5 * 60_000 - 1_000);
    expect((await repo.get(w.id))?.endedAt).toBeNull();
    await vi.advanceTimersByTimeAsync(2_000);
    await vi.waitFor(async () => expect((await repo.get(w.id))?.endedAt).not.toBeNull());
    expect(heard).toContainEqual({ type: 'ended', workshopId: w.id });
    expect(published.filter((c) => c.type === 'ended')).toEqual([
      { type: 'ended', workshopId: w.id },
    ]);
    services[1]!.close();
  });

  it('announces the end once when every replica’s timer fires', async () => {
    vi.useFakeTimers();
    const { services, published } = replicas(3);
    await Promise.all(services.map((s) => s.start()));
    const w = await services[1]!.create({
      lessons: ['first-containers'],
      durationMinutes: 5,
      maxLearners: 2,
    });
    await vi.advanceTimersByTimeAsync(5 * 60_000 + 1_000);
    await vi.waitFor(() =>
      expect(published.filter((c) => c.type === 'ended')).toEqual([
        { type: 'ended', workshopId: w.id },
      ]),
    );
    for (const s of services) expect((await s.get(w.id)).endedAt).not.toBeNull();
    for (const s of services) s.close();
  });

  it('lets the instructor end a workshop that already ended without announcing it again', async () => {
    const { services, published } = replicas(2);
    const w = await services[0]!.create({
      lessons: ['first-containers'],
      durationMinutes: 60,
      maxLearners: 2,
    });
    expect((await services[0]!.end(w.id)).state).toBe('ended');
    expect((await services[1]!.end(w.id)).state).toBe('ended');
    expect(published.filter((c) => c.type === 'ended')).toHaveLength(1);
    for (const s of services) s.close();
  });
});
