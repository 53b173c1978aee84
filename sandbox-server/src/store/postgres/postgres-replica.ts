import os from 'node:os';
import pg from 'pg';
import { DatabaseHeldError, type ServerLockHolder } from '../server-lock-holder.ts';
import type {
  SessionDbRow,
  SessionPatch,
  SessionRepository,
  SessionRow,
  SessionState,
} from '../session-repository.ts';
import { sessionFromDb } from '../session-repository.ts';
import { clientConfig, openPool, placeholders, unreachable } from './postgres-pool.ts';
import { readLease, SERVER_LOCK_KEY } from './postgres-server-lock.ts';

/**
 * One replica of several `handson serve` processes on one Postgres database. Its identity (e.g.
 * `replica-4400`) is an advisory lock held by a connection of its own for its whole life, so
 * Postgres itself says when a replica died (the lock is free the moment its process ends, SIGKILL
 * included) and refuses a second process claiming a live replica's identity. All replicas also
 * hold the one-server lock *shared*: a single `handson serve` (which takes it exclusively) cannot
 * run beside them. The lease row (`server_leases`, one per replica) says who it is and where.
 * Each session has an owner (`session_owners`); a replica loads and serves the sessions it owns,
 * and takes over those of a dead replica.
 */

/** The first key of every replica's advisory lock (the second is the hash of its name). */
const REPLICA_LOCK_SPACE = 0x68736e72; // "hsnr"

/** Replica names as `handson cluster` gives them; only these rows are replicas' leases. */
export const REPLICA_NAME = /^[a-z][a-z0-9-]{0,62}$/;

export class PostgresReplica {
  private released = false;

  private constructor(
    readonly id: string,
    private readonly pool: pg.Pool,
    /** Holds this replica's locks; also tries other replicas' locks to see whether they died. */
    private readonly locks: pg.Client,
    private readonly startedAt: number,
  ) {}

  /**
   * Take the identity `id` on the database `url`, or throw `DatabaseHeldError` when a live process
   * holds it (or a single server holds the whole database).
   *
   * @example
   * const replica = await PostgresReplica.join(url, 'replica-4400', log);
   * const sessions = replica.sessions(store.sessions);
   */
  static async join(
    url: string,
    id: string,
    log: (message: string) => void,
    onLost: (error: Error) => void = () => undefined,
  ): Promise<PostgresReplica> {
    if (!REPLICA_NAME.test(id)) {
      throw new Error(
        `HANDSON_REPLICA_ID "${id.slice(0, 80)}" is not a replica name: lower-case letters, digits and dashes, e.g. replica-4400.`,
      );
    }
    const locks = new pg.Client(clientConfig(url));
    try {
      await locks.connect();
    } catch (error) {
      throw unreachable(url, error);
    }
    let released = false;
    locks.on('error', (error) => {
      if (!released) onLost(new Error(`The replica's database lock was lost: ${error.message}`));
    });
    const refuse = async (holder: ServerLockHolder | undefined) => {
      released = true;
      await locks.end().catch(() => undefined);
      throw new DatabaseHeldError(url, holder);
    };
    const shared = await locks.query<{ ok: boolean }>(
      'SELECT pg_try_advisory_lock_shared($1) AS ok',
      [SERVER_LOCK_KEY.toString()],
    );
    if (!shared.rows[0]?.ok) await refuse(await readLease(locks, 'server'));
    const own = await locks.query<{ ok: boolean }>(
      'SELECT pg_try_advisory_lock($1, hashtext($2)) AS ok',
      [REPLICA_LOCK_SPACE, id],
    );
    if (!own.rows[0]?.ok) await refuse(await readLease(locks, id));
    const pool = await openPool(url, log).catch(async (error: Error) => {
      await locks.end().catch(() => undefined);
      throw error;
    });
    // Its lease row is written by `announce` once the server listens (the schema exists then).
    return new PostgresReplica(id, pool, locks, Date.now());
  }

  /** Write this replica's lease row: its pid, machine and address (`starting` before it listens). */
  async announce(address: string): Promise<void> {
    if (this.released) return;
    const now = Date.now();
    await this.pool.query(
      `INSERT INTO server_leases (name, pid, host, address, started_at, renewed_at, expires_at)
       VALUES ($1, $2, $3, $4, $5, $6, NULL)
       ON CONFLICT (name) DO UPDATE SET pid = $2, host = $3, address = $4, started_at = $5,
         renewed_at = $6, expires_at = NULL`,
      [this.id, process.pid, os.hostname(), address, this.startedAt, now],
    );
  }

  /** The heartbeat: when this replica last said it is alive (for people reading the table). */
  async renew(): Promise<void> {
    if (this.released) return;
    await this.pool.query('UPDATE server_leases SET renewed_at = $2 WHERE name = $1', [
      this.id,
      Date.now(),
    ]);
  }

  /**
   * `inner` seen from this replica: what it inserts is owned by it, and `list` answers only the
   * sessions it owns (what a (re)start re-adopts). Reads and writes by id go to every session.
   */
  sessions(inner: SessionRepository): SessionRepository {
    const pool = this.pool;
    const id = this.id;
    return {
      async insert(row: SessionRow) {
        await inner.insert(row);
        await pool.query('INSERT INTO session_owners (session_id, replica) VALUES ($1, $2)', [
          row.id,
          id,
        ]);
      },
      get: (sessionId: string) => inner.get(sessionId),
      update: (sessionId: string, patch: SessionPatch) => inner.update(sessionId, patch),
      delete: (sessionId: string) => inner.delete(sessionId),
      purgeExpired: (before: number) => inner.purgeExpired(before),
      async list(states?: SessionState[]) {
        const byState = states?.length ? ` AND s.state IN (${placeholders(states.length, 2)})` : '';
        const { rows } = await pool.query<SessionDbRow>(
          `SELECT s.* FROM sessions s JOIN session_owners o ON o.session_id = s.id
           WHERE o.replica = $1${byState}`,
          [id, ...(states ?? [])],
        );
        return rows.map(sessionFromDb);
      },
    };
  }

  /**
   * The address of the other replica that owns `sessionId` (as its lease row says), or undefined
   * when this replica owns it, nobody does, or the owner has no address yet.
   */
  async ownerAddress(sessionId: string): Promise<string | undefined> {
    if (this.released) return undefined;
    const { rows } = await this.pool.query<{ address: string | null }>(
      `SELECT l.address FROM session_owners o JOIN server_leases l ON l.name = o.replica
       WHERE o.session_id = $1 AND o.replica <> $2`,
      [sessionId, this.id],
    );
    const address = rows[0]?.address;
    return address?.startsWith('http') ? address : undefined;
  }

  /** Every sandbox a session row names, whoever owns it: never an orphan. */
  async referencedSandboxes(): Promise<Set<string>> {
    const { rows } = await this.pool.query<{ sandbox_id: string }>(
      'SELECT sandbox_id FROM sessions WHERE sandbox_id IS NOT NULL',
    );
    return new Set(rows.map((r) => r.sandbox_id));
  }

  /**
   * The replicas that have died: a lease row whose advisory lock nobody holds. Each one found is
   * taken over here and then, so two survivors never take the same one: its sessions become this
   * replica's and its lease row goes. Returns the dead replica's name and its sessions' ids.
   *
   * @example
   * for (const { replica, sessions } of await me.takeOverDead()) log(`${replica}: ${sessions.length}`);
   */
  async takeOverDead(): Promise<{ replica: string; sessions: string[] }[]> {
    if (this.released) return [];
    const { rows } = await this.pool.query<{ name: string }>(
      "SELECT name FROM server_leases WHERE name <> 'server' AND name <> $1",
      [this.id],
    );
    const taken: { replica: string; sessions: string[] }[] = [];
    for (const { name } of rows) {
      const lock = await this.locks.query<{ ok: boolean }>(
        'SELECT pg_try_advisory_lock($1, hashtext($2)) AS ok',
        [REPLICA_LOCK_SPACE, name],
      );
      if (!lock.rows[0]?.ok) continue; // alive (or another survivor is taking it over now)
      try {
        const moved = await this.pool.query<{ session_id: string }>(
          'UPDATE session_owners SET replica = $1 WHERE replica = $2 RETURNING session_id',
          [this.id, name],
        );
        await this.pool.query('DELETE FROM server_leases WHERE name = $1', [name]);
        taken.push({ replica: name, sessions: moved.rows.map((r) => r.session_id) });
      } finally {
        await this.locks.query('SELECT pg_advisory_unlock($1, hashtext($2))', [
          REPLICA_LOCK_SPACE,
          name,
        ]);
      }
    }
    return taken;
  }

  /**
   * Leave: the locks go with their connection. The lease row stays, so a replica that is not
   * started again has its sessions taken over by the others like a dead one's. Idempotent.
   */
  async release(): Promise<void> {
    if (this.released) return;
    this.released = true;
    await this.pool.end().catch(() => undefined);
    await this.locks.end().catch(() => undefined);
  }
}
