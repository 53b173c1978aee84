// The unit project's global setup: one private PostgreSQL for the whole run, as the project
// starts its own services (its own data directory in a temp dir, a free loopback port, its own
// superuser), never the machine's default cluster. Store specs create one database per test.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import {
  ensurePostgres,
  type PostgresService,
  stopPostgres,
} from '../../../sandbox-server/src/services/postgres-service.ts';
import { freePort } from '../../../sandbox-server/src/system/free-port.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    /** A URL of the test Postgres's `postgres` database (create others from it). */
    postgresAdminUrl: string;
    /** Why there is no test Postgres, when there is none. */
    postgresUnavailable: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'handson-test-postgres-'));
  // The postgres system user (who runs it when we are root) must reach the data directory.
  fs.chmodSync(dir, 0o755);
  const spec: PostgresService = {
    root: path.join(dir, 'postgres'),
    port: await freePort(),
    logFile: path.join(dir, 'postgres.log'),
  };
  try {
    const running = await ensurePostgres(spec);
    project.provide('postgresAdminUrl', running.urlFor('postgres'));
    project.provide('postgresUnavailable', '');
  } catch (error) {
    // Only the Postgres halves of the store specs need it; they fail with this message.
    project.provide('postgresAdminUrl', '');
    project.provide('postgresUnavailable', (error as Error).message);
  }
  return async () => {
    await stopPostgres(spec).catch(() => undefined);
    fs.rmSync(dir, { recursive: true, force: true });
  };
}
