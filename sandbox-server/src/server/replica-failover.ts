import type { SandboxDriver } from '../sandbox/driver.ts';
import { takeOverSessions } from '../sessions/adoption.ts';
import type { SessionManager } from '../sessions/session-manager.ts';
import type { SessionRepository, SessionRow } from '../store/session-repository.ts';

/** What failover needs of the replica's place in the database (`PostgresReplica`). */
export interface ReplicaPeers {
  readonly id: string;
  takeOverDead(): Promise<{ replica: string; sessions: string[] }[]>;
  referencedSandboxes(): Promise<Set<string>>;
  renew(): Promise<void>;
}

export interface FailoverDeps {
  peers: ReplicaPeers;
  manager: SessionManager;
  /** The replica's view of the sessions table (its own sessions). */
  repo: SessionRepository;
  driver: SandboxDriver;
  /** The value of the server label on a replica's sandboxes. */
  labelOf: (replica: string) => string;
  log: (message: string) => void;
}

/**
 * A replica's watch over the others: every `intervalMs` (and at once when a request names a
 * session it does not hold) it takes over the replicas that died — their sessions are adopted
 * here exactly as a restarted server adopts its own (sandbox re-attached, expired ones ended),
 * and their left-over warm-pool sandboxes are removed once their learners had time to reconnect —
 * and renews its own lease.
 *
 * @example
 * const failover = new ReplicaFailover(deps);
 * failover.run(stop.signal);
 * await failover.sweep(); // a learner's request named an unknown session
 */
export class ReplicaFailover {
  private sweeping: Promise<void> | undefined;
  /** Dead replicas' spare sandboxes being removed, after their learners were served. */
  private cleaning: Promise<void> = Promise.resolve();

  /** Set by `run`: a stopping replica removes dead ones' spares at once, without the grace. */
  private stopping: AbortSignal | undefined;

  constructor(
    private readonly deps: FailoverDeps,
    private readonly intervalMs = 1_000,
    /**
     * How long a dead replica's spares wait before they are removed: their learners reconnect
     * meanwhile, and removing dozens of sandboxes would compete with that for the engine.
     */
    private readonly sparesGraceMs = 30_000,
  ) {}

  /** Sweep on a timer until `signal` aborts; resolves when the last sweep is done. */
  async run(signal: AbortSignal): Promise<void> {
    this.stopping = signal;
    while (!signal.aborted) {
      await this.sweep();
      await this.deps.peers.renew().catch(() => undefined);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, this.intervalMs);
        signal.addEventListener('abort', () => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    await this.cleaning;
  }

  /** Take over every dead replica now; concurrent callers share one sweep. */
  sweep(): Promise<void> {
    this.sweeping ??= this.takeOver()
      .catch((error: Error) => this.deps.log(`failover: ${error.message}`))
      .finally(() => {
        this.sweeping = undefined;
      });
    return this.sweeping;
  }

  private async takeOver(): Promise<void> {
    const { peers, manager, repo, driver, labelOf, log } = this.deps;
    for (const dead of await peers.takeOverDead()) {
      const rows = (await Promise.all(dead.sessions.map((id) => repo.get(id)))).filter(
        (row): row is SessionRow => row !== undefined && !manager.live.has(row.id),
      );
      const referenced = await peers.referencedSandboxes();
      const { report, removeOrphans } = await takeOverSessions(
        manager,
        listing(repo, rows),
        driver,
        {
          serverId: labelOf(dead.replica),
          referenced,
        },
      );
      log(
        `took over ${dead.replica}: adopted ${report.adopted.length} sessions, expired ${report.expired.length}`,
      );
      // Its spares go later: the learners waiting for their sessions and terminals come first.
      this.cleaning = this.cleaning
        .then(() => graceOrStop(this.sparesGraceMs, this.stopping))
        .then(removeOrphans)
        .then((removed) => log(`removed ${removed.length} spare sandboxes of ${dead.replica}`))
        .catch((error: Error) =>
          log(`failover: removing ${dead.replica}'s spares: ${error.message}`),
        );
    }
  }
}

/** Resolves after `ms`, or at once when `signal` aborts (or already has). */
function graceOrStop(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

/** `repo` whose `list` answers `rows`: adoption then adopts exactly these. */
function listing(repo: SessionRepository, rows: SessionRow[]): SessionRepository {
  return {
    insert: (row) => repo.insert(row),
    get: (id) => repo.get(id),
    update: (id, patch) => repo.update(id, patch),
    delete: (id) => repo.delete(id),
    purgeExpired: (before) => repo.purgeExpired(before),
    list: async () => rows,
  };
}
