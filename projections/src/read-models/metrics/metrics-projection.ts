import { streamCategories } from '@netpulse/domain';
import type { Projection } from '../../runner/projection.js';
import type { MetricsStorageKind } from './detect-timescale.js';
import { metricPoints } from './metric-points.js';
import { plainStorage } from './plain-storage.js';
import { timescaleStorage } from './timescale-storage.js';

export type MetricsProjection = Projection & Readonly<{ storage: MetricsStorageKind }>;

/**
 * The metrics time series: raw points from every DeviceObserved (ICMP rtt / loss, TCP connect time,
 * SNMP cpu / memory, per-interface in / out bps and errors) with 1-minute and 1-hour tiers.
 * `storage` comes from `detectMetricsStorage`.
 */
export const metricsProjection = (storage: MetricsStorageKind): MetricsProjection => {
  const impl = storage === 'timescaledb' ? timescaleStorage() : plainStorage();
  return {
    name: 'metrics',
    storage,
    batchSize: 2_000,
    filter: { categories: [streamCategories.observations], eventTypes: ['DeviceObserved'] },
    createStatements: impl.createStatements,
    views: impl.views,
    dropStatements: impl.dropStatements,
    apply: (client, events, context) => impl.apply(client, metricPoints(events), context),
    ...('finishRebuild' in impl ? { finishRebuild: impl.finishRebuild } : {}),
  };
};
