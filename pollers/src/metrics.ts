import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

/**
 * The poller's Prometheus metrics, registered on the registry the role is given. Getting an
 * existing metric back (instead of registering twice) lets several pollers or restarts in one
 * process share a registry, as tests do.
 */
export type PollerMetrics = Readonly<{
  probes: Counter<'probe' | 'result'>;
  probeDuration: Histogram<'probe'>;
  skipped: Counter<'probe'>;
  targets: Gauge<'probe'>;
  icmpBatchMode: Gauge;
  bufferDepth: Gauge;
  dropped: Counter<'reason'>;
  appended: Counter;
  appendFailures: Counter;
  traps: Counter<'result'>;
}>;

const reuse = <M>(registry: Registry, name: string, create: () => M): M =>
  (registry.getSingleMetric(name) as M | undefined) ?? create();

export const createPollerMetrics = (registry: Registry): PollerMetrics => ({
  probes: reuse(
    registry,
    'netpulse_poller_probes_total',
    () =>
      new Counter({
        name: 'netpulse_poller_probes_total',
        help: 'Probes run, by probe type and result (ok or the error code).',
        labelNames: ['probe', 'result'] as const,
        registers: [registry],
      }),
  ),
  probeDuration: reuse(
    registry,
    'netpulse_poller_probe_duration_seconds',
    () =>
      new Histogram({
        name: 'netpulse_poller_probe_duration_seconds',
        help: 'Time from the start of a probe to its result.',
        labelNames: ['probe'] as const,
        buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
        registers: [registry],
      }),
  ),
  skipped: reuse(
    registry,
    'netpulse_poller_probes_skipped_total',
    () =>
      new Counter({
        name: 'netpulse_poller_probes_skipped_total',
        help: 'Probe slots skipped because the previous probe of the same device was still running.',
        labelNames: ['probe'] as const,
        registers: [registry],
      }),
  ),
  targets: reuse(
    registry,
    'netpulse_poller_targets',
    () =>
      new Gauge({
        name: 'netpulse_poller_targets',
        help: 'Scheduled probes, by probe type.',
        labelNames: ['probe'] as const,
        registers: [registry],
      }),
  ),
  icmpBatchMode: reuse(
    registry,
    'netpulse_poller_icmp_fping_mode',
    () =>
      new Gauge({
        name: 'netpulse_poller_icmp_fping_mode',
        help: '1 while ICMP probes are batched through fping, 0 while each probe runs its own ping.',
        registers: [registry],
      }),
  ),
  bufferDepth: reuse(
    registry,
    'netpulse_poller_buffer_depth',
    () =>
      new Gauge({
        name: 'netpulse_poller_buffer_depth',
        help: 'Observations waiting to be appended to the event store (including the batch in flight).',
        registers: [registry],
      }),
  ),
  dropped: reuse(
    registry,
    'netpulse_poller_observations_dropped_total',
    () =>
      new Counter({
        name: 'netpulse_poller_observations_dropped_total',
        help: 'Observations and traps never stored: buffer_full, rejected by the store, or left at shutdown.',
        labelNames: ['reason'] as const,
        registers: [registry],
      }),
  ),
  appended: reuse(
    registry,
    'netpulse_poller_observations_appended_total',
    () =>
      new Counter({
        name: 'netpulse_poller_observations_appended_total',
        help: 'Observations and traps handed to the event store successfully (idempotent repeats included).',
        registers: [registry],
      }),
  ),
  appendFailures: reuse(
    registry,
    'netpulse_poller_append_failures_total',
    () =>
      new Counter({
        name: 'netpulse_poller_append_failures_total',
        help: 'Failed appends of an observation batch (each is retried).',
        registers: [registry],
      }),
  ),
  traps: reuse(
    registry,
    'netpulse_poller_traps_total',
    () =>
      new Counter({
        name: 'netpulse_poller_traps_total',
        help: 'SNMP notifications received: recorded for a known device, recorded from an unknown sender, rejected or undecodable.',
        labelNames: ['result'] as const,
        registers: [registry],
      }),
  ),
});
