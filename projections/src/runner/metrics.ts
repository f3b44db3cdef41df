import { Counter, Gauge, type Registry } from 'prom-client';

/** Prometheus series of every projection, labelled by projection name. */
export type ProjectionMetrics = Readonly<{
  lagEvents: Gauge<'projection'>;
  lagSeconds: Gauge<'projection'>;
  eventsApplied: Counter<'projection'>;
  batchesApplied: Counter<'projection'>;
  active: Gauge<'projection'>;
  version: Gauge<'projection'>;
}>;

const cache = new WeakMap<Registry, ProjectionMetrics>();

/** One set of series per registry, however many runners register them. */
export const projectionMetrics = (registry: Registry): ProjectionMetrics => {
  const known = cache.get(registry);
  if (known) return known;
  const labelNames = ['projection'] as const;
  const registers = [registry];
  const metrics: ProjectionMetrics = {
    lagEvents: new Gauge({
      name: 'netpulse_projection_lag_events',
      help: 'Events in the log that the projection has not applied yet (sampled; saturates at the sample limit, 10000)',
      labelNames,
      registers,
    }),
    lagSeconds: new Gauge({
      name: 'netpulse_projection_lag_seconds',
      help: 'Age of the oldest event the projection has not applied yet; 0 when caught up',
      labelNames,
      registers,
    }),
    eventsApplied: new Counter({
      name: 'netpulse_projection_events_applied_total',
      help: 'Events applied to the read model by this process',
      labelNames,
      registers,
    }),
    batchesApplied: new Counter({
      name: 'netpulse_projection_batches_applied_total',
      help: 'Batches committed with their checkpoint by this process',
      labelNames,
      registers,
    }),
    active: new Gauge({
      name: 'netpulse_projection_active',
      help: '1 when this process holds the projection (advisory lock), 0 when it stands by',
      labelNames,
      registers,
    }),
    version: new Gauge({
      name: 'netpulse_projection_version',
      help: 'Version of the projection this process is feeding',
      labelNames,
      registers,
    }),
  };
  cache.set(registry, metrics);
  return metrics;
};
