import { execFile } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import type { HandsonConfig } from '../config.ts';
import { logTail, removeStalePidfile, runningPid } from '../system/managed-process.ts';
import { type SystemUser, systemUser } from '../system/system-user.ts';

const run = promisify(execFile);

/**
 * A private PostgreSQL the project runs itself, like its engine and registry: Debian's
 * `postgresql` binaries, but its own data directory, port (loopback only), socket directory,
 * superuser and password, never Debian's default cluster. `initdb` once, `pg_ctl start` /
 * `stop`; Postgres writes its own pidfile (`postmaster.pid`, as dockerd does) and the log goes
 * beside the other services' logs.
 */

/** Where Debian's `postgresql` package puts the server binaries. */
export const POSTGRES_BIN = process.env.HANDSON_POSTGRES_BIN ?? '/usr/lib/postgresql/15/bin';
/** The Debian package that brings them. */
export const POSTGRES_PACKAGE = 'postgresql';
/** The role the project connects as (the cluster's superuser) and its database. */
const ROLE = 'handson';
const DATABASE = 'handson';

export interface PostgresService {
  /** Everything of this Postgres: `data/`, `socket/`, `password`. */
  root: string;
  /** The loopback port it listens on. */
  port: number;
  logFile: string;
}

export interface RunningPostgres {
  pid: number;
  port: number;
  /** Whether it was already running (adopted) rather than started. */
  adopted: boolean;
  /** The project's database, as `HANDSON_DATABASE` takes it (the URL holds the password). */
  url: string;
  /** A URL of the same server for another database (tests create one each). */
  urlFor(database: string): string;
}

/**
 * The project's Postgres under HANDSON_HOME on `port`.
 *
 * @example
 * const spec = postgresService(loadConfig(), 5433);
 * spec.root // '/var/lib/handson/postgres'
 */
export function postgresService(cfg: HandsonConfig, port: number): PostgresService {
  return {
    root: path.join(cfg.home, 'postgres'),
    port,
    logFile: path.join(cfg.home, 'logs', `postgres-${port}.log`),
  };
}

const dataDir = (s: PostgresService) => path.join(s.root, 'data');
const socketDir = (s: PostgresService) => path.join(s.root, 'socket');
const passwordFile = (s: PostgresService) => path.join(s.root, 'password');
/** Postgres's own pidfile; its first line is the postmaster's pid, its fourth the port. */
const pidfileSpec = (s: PostgresService) => ({
  pidfile: path.join(dataDir(s), 'postmaster.pid'),
  // Postgres's command line names its data directory: a recycled pid is not mistaken for it.
  signature: dataDir(s),
  command: 'postgres',
});

/**
 * Who runs Postgres: this process's user, or (as root, which `initdb` refuses) the `postgres`
 * system user the Debian package creates.
 */
function serviceUser(): SystemUser | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const user = systemUser('postgres');
  if (!user) {
    throw new Error(
      `PostgreSQL cannot run as root and there is no "postgres" user. Install Debian's ${POSTGRES_PACKAGE} package (apt-get install -y ${POSTGRES_PACKAGE}), which creates it.`,
    );
  }
  return user;
}

/** Make `file` (or directory) belong to the service user, so Postgres can write it. */
function own(file: string, user: SystemUser | undefined): void {
  if (user) fs.chownSync(file, user.uid, user.gid);
}

async function runAs(user: SystemUser | undefined, tool: string, args: string[], cwd: string) {
  try {
    await run(path.join(POSTGRES_BIN, tool), args, {
      cwd,
      ...(user && { uid: user.uid, gid: user.gid }),
      env: { ...process.env, LC_ALL: 'C' },
    });
  } catch (error) {
    const e = error as { stderr?: string; message: string };
    throw new Error(`${tool} failed: ${(e.stderr ?? '').trim() || e.message}`);
  }
}

/** The pid and port of the running Postgres of `spec`, when it runs. */
export function postgresStatus(spec: PostgresService): { pid: number; port: number } | undefined {
  const pid = runningPid(pidfileSpec(spec));
  if (pid === undefined) return undefined;
  const lines = fs.readFileSync(pidfileSpec(spec).pidfile, 'utf8').split('\n');
  return { pid, port: Number(lines[3]) || spec.port };
}

function readPassword(spec: PostgresService): string {
  try {
    return fs.readFileSync(passwordFile(spec), 'utf8').trim();
  } catch {
    const password = crypto.randomBytes(18).toString('base64url');
    fs.writeFileSync(passwordFile(spec), `${password}\n`, { mode: 0o600 });
    return password;
  }
}

/**
 * Start the project's Postgres unless it runs (initialising its data directory the first
 * time) and make sure its database exists; resolves once it accepts connections.
 *
 * @example
 * const pg = await ensurePostgres(postgresService(cfg, await freePort()));
 * process.env.HANDSON_DATABASE = pg.url;
 */
export async function ensurePostgres(spec: PostgresService): Promise<RunningPostgres> {
  if (!fs.existsSync(path.join(POSTGRES_BIN, 'pg_ctl'))) {
    throw new Error(
      `PostgreSQL is not installed (${POSTGRES_BIN}/pg_ctl is missing). Install it with \`apt-get install -y ${POSTGRES_PACKAGE}\`, or run \`npx handson setup --tests\`.`,
    );
  }
  const user = serviceUser();
  fs.mkdirSync(spec.root, { recursive: true, mode: 0o700 });
  own(spec.root, user);
  const password = readPassword(spec);
  own(passwordFile(spec), user);
  if (!fs.existsSync(path.join(dataDir(spec), 'PG_VERSION'))) {
    await runAs(
      user,
      'initdb',
      [
        `--pgdata=${dataDir(spec)}`,
        `--username=${ROLE}`,
        `--pwfile=${passwordFile(spec)}`,
        '--auth=scram-sha-256',
        '--encoding=UTF8',
        '--no-locale',
      ],
      spec.root,
    );
  }
  let status = postgresStatus(spec);
  const adopted = status !== undefined;
  if (!status) {
    // Postgres refuses to start while its lock file names any live pid, even a recycled one.
    removeStalePidfile(pidfileSpec(spec));
    fs.mkdirSync(socketDir(spec), { recursive: true, mode: 0o700 });
    own(socketDir(spec), user);
    fs.mkdirSync(path.dirname(spec.logFile), { recursive: true });
    fs.appendFileSync(spec.logFile, `\n--- ${new Date().toISOString()} handson starts postgres\n`);
    own(spec.logFile, user);
    const options = `-p ${spec.port} -k ${socketDir(spec)} -c listen_addresses=127.0.0.1`;
    try {
      await runAs(
        user,
        'pg_ctl',
        ['start', '-D', dataDir(spec), '-l', spec.logFile, '-o', options, '-w', '-t', '60'],
        spec.root,
      );
    } catch (error) {
      throw new Error(
        `PostgreSQL did not start on 127.0.0.1:${spec.port}: ${(error as Error).message}\n${logTail(spec.logFile)}\nIs the port taken? Choose another one.`,
      );
    }
    status = postgresStatus(spec);
    if (!status) throw new Error(`PostgreSQL started but left no pidfile in ${dataDir(spec)}.`);
  }
  const urlFor = (database: string) =>
    `postgres://${ROLE}:${encodeURIComponent(password)}@127.0.0.1:${status.port}/${database}`;
  await createDatabase(urlFor('postgres'), DATABASE);
  return { pid: status.pid, port: status.port, adopted, url: urlFor(DATABASE), urlFor };
}

/**
 * Create `database` on the server `adminUrl` reaches, unless it exists.
 *
 * @example
 * await createDatabase(running.urlFor('postgres'), 'handson_test_1');
 */
export async function createDatabase(adminUrl: string, database: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [
      database,
    ]);
    // An identifier cannot be a parameter; quoting it doubles any quote inside.
    if (!rowCount) await client.query(`CREATE DATABASE "${database.replaceAll('"', '""')}"`);
  } finally {
    await client.end();
  }
}

/**
 * Stop the project's Postgres (a fast shutdown: sessions are cut, nothing is lost). Returns
 * the pid it stopped, or undefined when it was not running.
 *
 * @example
 * await stopPostgres(postgresService(cfg, 5433));
 */
export async function stopPostgres(spec: PostgresService): Promise<number | undefined> {
  const status = postgresStatus(spec);
  if (!status) return undefined;
  await runAs(
    serviceUser(),
    'pg_ctl',
    ['stop', '-D', dataDir(spec), '-m', 'fast', '-w'],
    spec.root,
  );
  return status.pid;
}
