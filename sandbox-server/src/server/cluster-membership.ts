import { isPostgresUrl } from '../store/database-url.ts';
import { PostgresChannel } from '../store/postgres/postgres-channel.ts';
import { PostgresReplica } from '../store/postgres/postgres-replica.ts';
import { type ChangeRelay, parseWorkshopChange } from '../workshops/change-relay.ts';
import type { WorkshopChange } from '../workshops/workshop-service.ts';

/** A replica's place in its cluster: its identity in the database and the workshop relay. */
export interface ClusterMembership {
  replica: PostgresReplica;
  relay: ChangeRelay;
  leave(): Promise<void>;
}

/** The NOTIFY channel workshop changes travel on between replicas. */
const WORKSHOP_CHANNEL = 'handson_workshops';

/**
 * Join the cluster on `database` as the replica `id` (`HANDSON_REPLICA_ID`, set by `handson
 * cluster up`): take its identity and listen for the other replicas' workshop changes.
 *
 * @example
 * const member = await joinCluster('postgres://…', 'replica-4400', log);
 * await member.leave();
 */
export async function joinCluster(
  database: string,
  id: string,
  log: (message: string) => void,
): Promise<ClusterMembership> {
  if (!isPostgresUrl(database)) {
    throw new Error(
      `HANDSON_REPLICA_ID=${id.slice(0, 80)} makes this server one replica of a cluster, and replicas share a PostgreSQL database: set HANDSON_DATABASE to a postgres:// URL (handson cluster up sets both), or unset HANDSON_REPLICA_ID.`,
    );
  }
  const lost = (error: Error) => log(error.message);
  const replica = await PostgresReplica.join(database, id, log, lost);
  let channel: PostgresChannel<WorkshopChange>;
  try {
    channel = await PostgresChannel.open(database, WORKSHOP_CHANNEL, parseWorkshopChange, lost);
  } catch (error) {
    await replica.release();
    throw error;
  }
  return {
    replica,
    relay: channel,
    async leave() {
      await channel.close();
      await replica.release();
    },
  };
}
