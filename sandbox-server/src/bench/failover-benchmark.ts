import type { Benchmark } from './benchmark.ts';

/** Issue 21's failover: a class on two replicas behind HAProxy, one replica SIGKILLed mid-class. */
export const failoverBenchmark: Benchmark = {
  name: 'failover',
  description:
    'a class through HAProxy on 2 replicas, one SIGKILLed: time until every learner is served again, errors, echo and CPU on 2 vs 1 replica',
  run: async (ctx) => (await import('./failover/failover-load.ts')).failoverLoad(ctx),
};
