// Every store spec runs against both implementations: `describe.each(STORE_KINDS)`.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { inject, onTestFinished } from 'vitest';
import { createDatabase } from '../../../sandbox-server/src/services/postgres-service.ts';
import { openStore, type Store } from '../../../sandbox-server/src/store/store.ts';

export const STORE_KINDS = ['sqlite', 'postgres'] as const;
export type StoreKind = (typeof STORE_KINDS)[number];

/** The test Postgres's URL for `database`, or a failure that says how to get Postgres. */
function postgresUrl(database: string): string {
  const admin = inject('postgresAdminUrl');
  if (!admin) {
    throw new Error(
      `The store specs need PostgreSQL and the test setup could not start it: ${inject('postgresUnavailable')} (\`npx handson setup --tests\` installs it).`,
    );
  }
  const url = new URL(admin);
  url.pathname = `/${database}`;
  return url.toString();
}

/**
 * A new, empty database of `kind`, as `HANDSON_DATABASE` would name it: a SQLite file in a
 * temp directory (removed after the test), or a new database on the test Postgres.
 *
 * @example
 * const database = await freshDatabase('postgres'); // 'postgres://handson:…@127.0.0.1:41873/t_1a2b…'
 */
export async function freshDatabase(kind: StoreKind): Promise<string> {
  if (kind === 'sqlite') {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'handson-store-'));
    onTestFinished(() => fs.rmSync(dir, { recursive: true, force: true }));
    return path.join(dir, 'nested', 'handson.sqlite');
  }
  const name = `t_${randomBytes(6).toString('hex')}`;
  await createDatabase(postgresUrl('postgres'), name);
  return postgresUrl(name);
}

/**
 * A fresh store of `kind` (SQLite in memory, or a new Postgres database), closed after the test.
 *
 * @example
 * const store = await freshStore('postgres');
 * await store.sessions.insert(row);
 */
export async function freshStore(kind: StoreKind): Promise<Store> {
  const store = await openStore(kind === 'sqlite' ? ':memory:' : await freshDatabase(kind));
  onTestFinished(async () => {
    await store.close();
  });
  return store;
}
