import { describe, expect, it, onTestFinished } from 'vitest';
import { PostgresChannel } from '../../../sandbox-server/src/store/postgres/postgres-channel.ts';
import { PostgresReplica } from '../../../sandbox-server/src/store/postgres/postgres-replica.ts';
import {
  acquireServerLock,
  DatabaseHeldError,
} from '../../../sandbox-server/src/store/server-lock.ts';
import type { SessionRow } from '../../../sandbox-server/src/store/session-repository.ts';
import { openStore } from '../../../sandbox-server/src/store/store.ts';
import { freshDatabase } from './store-kinds.ts';

const quiet = () => undefined;

async function replica(url: string, id: string): Promise<PostgresReplica> {
  const r = await PostgresReplica.join(url, id, quiet);
  onTestFinished(() => r.release());
  await r.announce(`http://127.0.0.1/${id}`);
  return r;
}

function row(id: string, sandboxId: string): SessionRow {
  const now = Date.now();
  return {
    id,
    tokenHash: 'hash',
    learnerId: null,
    lang: 'en',
    lesson: null,
    step: null,
    state: 'ready',
    message: null,
    sandboxId,
    driver: 'dind',
    createdAt: now,
    expiresAt: now + 60_000,
    lastActivityAt: now,
  };
}

async function migrated(): Promise<{ url: string; store: Awaited<ReturnType<typeof openStore>> }> {
  const url = await freshDatabase('postgres');
  const store = await openStore(url);
  onTestFinished(() => store.close());
  return { url, store };
}

describe('PostgresReplica', () => {
  it('lets replicas of different names share a database, and refuses a live name or a single server', async () => {
    const { url } = await migrated();
    await replica(url, 'replica-a');
    await replica(url, 'replica-b');
    await expect(PostgresReplica.join(url, 'replica-a', quiet)).rejects.toBeInstanceOf(
      DatabaseHeldError,
    );
    await expect(acquireServerLock(url)).rejects.toBeInstanceOf(DatabaseHeldError);
    await expect(PostgresReplica.join(url, 'Not A Name', quiet)).rejects.toThrow(/replica name/);
  });

  it('lists only the sessions a replica owns, and hands a dead one’s to the first survivor that looks', async () => {
    const { url, store } = await migrated();
    const a = await replica(url, 'replica-a');
    const b = await PostgresReplica.join(url, 'replica-b', quiet);
    await b.announce('http://127.0.0.1/b');
    await a.sessions(store.sessions).insert(row('sa', 'box-a'));
    await b.sessions(store.sessions).insert(row('sb', 'box-b'));
    expect((await a.sessions(store.sessions).list()).map((r) => r.id)).toEqual(['sa']);
    expect(await a.takeOverDead()).toEqual([]); // b is alive

    await b.release(); // its lock goes, as when its process dies
    expect(await a.takeOverDead()).toEqual([{ replica: 'replica-b', sessions: ['sb'] }]);
    expect((await a.sessions(store.sessions).list()).map((r) => r.id).sort()).toEqual(['sa', 'sb']);
    expect(await a.takeOverDead()).toEqual([]); // taken once
    expect(await a.referencedSandboxes()).toEqual(new Set(['box-a', 'box-b']));
  });
});

describe('PostgresChannel', () => {
  it('carries a message to the other processes and not back to its sender', async () => {
    const { url } = await migrated();
    const accept = (value: unknown) => value as { n: number };
    const one = await PostgresChannel.open(url, 'handson_test', accept);
    const two = await PostgresChannel.open(url, 'handson_test', accept);
    onTestFinished(() => Promise.all([one.close(), two.close()]).then(() => undefined));
    const heardByOne: number[] = [];
    const heardByTwo: number[] = [];
    one.onMessage((m) => heardByOne.push(m.n));
    two.onMessage((m) => heardByTwo.push(m.n));
    await one.publish({ n: 7 });
    await expect.poll(() => heardByTwo).toEqual([7]);
    await two.publish({ n: 8 });
    await expect.poll(() => heardByOne).toEqual([8]);
    expect(heardByTwo).toEqual([7]);
  });

  it('sends messages published at once one after the other, in order, on its one connection', async () => {
    const { url } = await migrated();
    const accept = (value: unknown) => value as { n: number };
    const one = await PostgresChannel.open(url, 'handson_test', accept);
    const two = await PostgresChannel.open(url, 'handson_test', accept);
    onTestFinished(() => Promise.all([one.close(), two.close()]).then(() => undefined));
    const warnings: string[] = [];
    const onWarning = (warning: Error) => warnings.push(warning.message);
    process.on('warning', onWarning);
    onTestFinished(() => void process.off('warning', onWarning));
    const heard: number[] = [];
    two.onMessage((m) => heard.push(m.n));
    const numbers = Array.from({ length: 20 }, (_, n) => n);
    await Promise.all(numbers.map((n) => one.publish({ n })));
    await expect.poll(() => heard).toEqual(numbers);
    expect(warnings.filter((w) => w.includes('already executing a query'))).toEqual([]);
  });
});
