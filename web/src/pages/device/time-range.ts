/** The device page's time ranges; each reads the rollup tier that fits it (raw, 1-minute, 1-hour). */
export const timeRanges = [
  { id: '1h', label: '1 h', ms: 3_600_000 },
  { id: '6h', label: '6 h', ms: 6 * 3_600_000 },
  { id: '24h', label: '24 h', ms: 24 * 3_600_000 },
  { id: '7d', label: '7 d', ms: 7 * 86_400_000 },
  { id: '30d', label: '30 d', ms: 30 * 86_400_000 },
] as const;
export type TimeRangeId = (typeof timeRanges)[number]['id'];

export const DEFAULT_RANGE: TimeRangeId = '6h';

export const parseRange = (search: string): TimeRangeId => {
  const value = new URLSearchParams(search).get('range');
  return timeRanges.find((range) => range.id === value)?.id ?? DEFAULT_RANGE;
};

export const rangeMs = (id: TimeRangeId): number =>
  timeRanges.find((range) => range.id === id)?.ms ?? 6 * 3_600_000;

/**
 * The window ending now, with `to` rounded up to the minute so that re-renders within a minute ask
 * the same question (and live charts re-read only when a new minute starts).
 */
export const rangeBounds = (id: TimeRangeId, now: number): { from: string; to: string } => {
  const to = Math.ceil(now / 60_000) * 60_000;
  return { from: new Date(to - rangeMs(id)).toISOString(), to: new Date(to).toISOString() };
};
