import { Counter, Gauge, type Registry } from 'prom-client';

export type PollerGroupMetrics = Readonly<{
  rebalances: Counter;
  ownedPartitions: Gauge;
  joined: Gauge;
}>;

const reuse = <M>(registry: Registry, name: string, create: () => M): M =>
  (registry.getSingleMetric(name) as M | undefined) ?? create();

export const createPollerGroupMetrics = (registry: Registry): PollerGroupMetrics => ({
  rebalances: reuse(
    registry,
    'netpulse_poller_rebalances_total',
    () =>
      new Counter({
        name: 'netpulse_poller_rebalances_total',
        help: 'Assignments this poller received from its Kafka consumer group (one per rebalance it took part in).',
        registers: [registry],
      }),
  ),
  ownedPartitions: reuse(
    registry,
    'netpulse_poller_owned_partitions',
    () =>
      new Gauge({
        name: 'netpulse_poller_owned_partitions',
        help: 'Poll-targets partitions assigned to this poller; -1 while it owns every device as a fallback.',
        registers: [registry],
      }),
  ),
  joined: reuse(
    registry,
    'netpulse_poller_group_joined',
    () =>
      new Gauge({
        name: 'netpulse_poller_group_joined',
        help: '1 while this poller is a member of its consumer group; 0 while it keeps probing its last share without one.',
        registers: [registry],
      }),
  ),
});
