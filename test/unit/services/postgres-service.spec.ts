import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import {
  ensurePostgres,
  type PostgresService,
  postgresStatus,
  stopPostgres,
} from '../../../sandbox-server/src/services/postgres-service.ts';
import { freePort } from '../../../sandbox-server/src/system/free-port.ts';

const cleanup: (() => unknown)[] = [];
afterEach(async () => {
  for (const fn of cleanup.splice(0).reverse()) await fn();
});

async function service(): Promise<PostgresService> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'handson-pg-service-'));
  fs.chmodSync(dir, 0o755); // the postgres user runs it when we are root
  const spec = {
    root: path.join(dir, 'postgres'),
    port: await freePort(),
    logFile: path.join(dir, 'logs', 'postgres.log'),
  };
  cleanup.push(() => fs.rmSync(dir, { recursive: true, force: true }));
  cleanup.push(() => stopPostgres(spec));
  return spec;
}

async function query(url: string, sql: string): Promise<unknown[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(sql)).rows;
  } finally {
    await client.end();
  }
}

describe("the project's own PostgreSQL", () => {
  it('starts on its own port with its own password-protected superuser, is adopted when running, and keeps its data across a stop', async () => {
    const spec = await service();
    const first = await ensurePostgres(spec);
    expect(first).toMatchObject({ port: spec.port, adopted: false });
    expect(first.url).toMatch(
      new RegExp(`^postgres://handson:[^@]+@127\\.0\\.0\\.1:${spec.port}/handson$`),
    );
    expect(await query(first.url, 'SELECT current_user AS u')).toEqual([{ u: 'handson' }]);
    const noPassword = first.url.replace(/:[^:@/]+@/, '@');
    await expect(query(noPassword, 'SELECT 1')).rejects.toThrow(/password/i);
    await query(first.url, 'CREATE TABLE kept (x INTEGER); INSERT INTO kept VALUES (7)');

    const again = await ensurePostgres(spec);
    expect(again).toMatchObject({ pid: first.pid, adopted: true, url: first.url });

    expect(await stopPostgres(spec)).toBe(first.pid);
    expect(postgresStatus(spec)).toBeUndefined();
    expect(await stopPostgres(spec)).toBeUndefined();

    const restarted = await ensurePostgres(spec);
    expect(restarted.adopted).toBe(false);
    expect(await query(restarted.url, 'SELECT x FROM kept')).toEqual([{ x: 7 }]);
  });
});
