import { defaultMetricsRetention, type MetricsRetention } from '../read-models/metrics/retention.js';
import { type Queryable, quoteIdent } from '../sql/queryable.js';

export const deviceMetrics = {
  rttAvgMs: ['rtt_avg_ms', 'rtt'],
  lossPct: ['loss_pct', 'loss'],
  tcpConnectMs: ['tcp_connect_ms', 'tcp_connect'],
  cpuPct: ['cpu_pct', 'cpu'],
  memoryPct: ['memory_pct', 'memory'],
} as const;
export const interfaceMetrics = {
  inBps: ['in_bps', 'in_bps'],
  outBps: ['out_bps', 'out_bps'],
  inErrors: ['in_errors', 'in_errors'],
  outErrors: ['out_errors', 'out_errors'],
} as const;
export type DeviceMetric = keyof typeof deviceMetrics;
export type InterfaceMetric = keyof typeof interfaceMetrics;

export type Resolution = 'raw' | '1m' | '1h';

export type MetricPoint = Readonly<{
  time: Date;
  avg: number | null;
  min: number | null;
  max: number | null;
  samples: number;
}>;

export type SeriesQuery = Readonly<{
  organizationId: string;
  deviceId: string;
  metric: DeviceMetric | InterfaceMetric;
  /** Required for interface metrics. */
  ifIndex?: number;
  from: Date;
  to: Date;
  resolution?: Resolution | 'auto';
  retention?: MetricsRetention;
  now: Date;
}>;

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;

/**
 * The finest tier that still holds `from` and keeps the answer small: raw up to 6 hours, 1-minute
 * rollups up to 7 days, 1-hour rollups beyond; a tier whose retention no longer reaches back to
 * `from` is skipped.
 */
export const chooseResolution = (
  from: Date,
  to: Date,
  now: Date,
  retention: MetricsRetention = defaultMetricsRetention,
): Resolution => {
  const span = to.getTime() - from.getTime();
  const age = now.getTime() - from.getTime();
  if (span <= 6 * HOUR_MS && age <= retention.rawDays * DAY_MS) return 'raw';
  if (span <= 7 * DAY_MS && age <= retention.oneMinuteDays * DAY_MS) return '1m';
  return '1h';
};

/** One metric of one device (or interface) over a time range, at the chosen tier. */
export const metricSeries = async (
  q: Queryable,
  schema: string,
  query: SeriesQuery,
): Promise<{ resolution: Resolution; points: MetricPoint[] }> => {
  const s = quoteIdent(schema);
  const isInterface = query.metric in interfaceMetrics;
  if (isInterface && query.ifIndex === undefined) throw new Error(`${query.metric} needs an ifIndex`);
  const [column, prefix] = isInterface
    ? interfaceMetrics[query.metric as InterfaceMetric]
    : deviceMetrics[query.metric as DeviceMetric];
  const resolution =
    !query.resolution || query.resolution === 'auto'
      ? chooseResolution(query.from, query.to, query.now, query.retention)
      : query.resolution;
  const base = isInterface ? 'interface_metrics' : 'metrics';
  const params: unknown[] = [query.organizationId, query.deviceId, query.from, query.to];
  const ifFilter = isInterface ? `and if_index = $${params.push(query.ifIndex)}` : '';
  const sql =
    resolution === 'raw'
      ? `select time, ${column} as avg, ${column} as min, ${column} as max, 1 as samples
         from ${s}.${base}_raw where organization_id = $1 and device_id = $2 ${ifFilter}
           and time >= $3 and time < $4 and ${column} is not null order by time`
      : `select bucket as time, (${prefix}_sum / nullif(${prefix}_count, 0))::float8 as avg,
           ${prefix}_min as min, ${prefix}_max as max, ${prefix}_count as samples
         from ${s}.${base}_${resolution} where organization_id = $1 and device_id = $2 ${ifFilter}
           and bucket >= $3 and bucket < $4 and ${prefix}_count > 0 order by bucket`;
  const { rows } = await q.query<MetricPoint>(sql, params);
  return { resolution, points: rows.map((row) => ({ ...row, samples: Number(row.samples) })) };
};
