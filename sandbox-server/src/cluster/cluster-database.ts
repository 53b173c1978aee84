import type { ClusterDatabase } from './cluster.ts';

/** The cluster's PostgreSQL, through the store's PostgreSQL service. */
export const clusterDatabase: ClusterDatabase = {
  ensure: async () => {
    throw new Error(
      'handson cluster needs the PostgreSQL service (branch pgstore), not merged yet.',
    );
  },
  stop: async () => undefined,
};
