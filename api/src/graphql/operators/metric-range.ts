import {
  type DeviceMetric,
  type InterfaceMetric,
  interfaceMetrics,
  type Resolution,
} from '@netpulse/projections';
import { invalidInput } from '../api-error.js';

/** The schema's names of the rollup tiers. */
export type ResolutionName = 'auto' | 'raw' | 'oneMinute' | 'oneHour';

const tiers = { raw: 'raw', oneMinute: '1m', oneHour: '1h' } as const satisfies Record<string, Resolution>;
const names = { raw: 'raw', '1m': 'oneMinute', '1h': 'oneHour' } as const satisfies Record<
  Resolution,
  ResolutionName
>;

export const tierOf = (name: ResolutionName): Resolution | 'auto' => (name === 'auto' ? 'auto' : tiers[name]);
export const nameOf = (tier: Resolution): Exclude<ResolutionName, 'auto'> => names[tier];

const HOUR_MS = 3_600_000;

/**
 * The longest range each tier may be asked for explicitly, so a forced tier cannot return an
 * unbounded number of points (raw: one a probe interval; 1m and 1h: one a bucket). `auto` picks a
 * tier whose answer stays within these.
 */
export const maxSpanMs: Readonly<Record<Resolution, number>> = {
  raw: 24 * HOUR_MS,
  '1m': 7 * 24 * HOUR_MS,
  '1h': 400 * 24 * HOUR_MS,
};

export type MetricRange = Readonly<{
  metric: DeviceMetric | InterfaceMetric;
  ifIndex?: number | null;
  from: Date;
  to: Date;
  resolution: ResolutionName;
}>;

/** Rejects what the series query would answer badly: reversed or oversized ranges, a missing ifIndex. */
export const checkMetricRange = (range: MetricRange): void => {
  const isInterface = range.metric in interfaceMetrics;
  if (isInterface && (range.ifIndex === null || range.ifIndex === undefined))
    throw invalidInput(`${range.metric} is an interface metric: give its ifIndex`, { argument: 'ifIndex' });
  if (!isInterface && range.ifIndex !== null && range.ifIndex !== undefined)
    throw invalidInput(`${range.metric} is a device metric: ifIndex does not apply`, { argument: 'ifIndex' });
  if (range.to.getTime() <= range.from.getTime())
    throw invalidInput('to must be after from', { argument: 'to' });
  const tier = tierOf(range.resolution);
  const span = range.to.getTime() - range.from.getTime();
  if (tier === 'auto' ? span > maxSpanMs['1h'] : span > maxSpanMs[tier])
    throw invalidInput(`the range is too long for resolution ${range.resolution}`, {
      argument: 'from',
      maxSpanSeconds: (tier === 'auto' ? maxSpanMs['1h'] : maxSpanMs[tier]) / 1000,
    });
};
