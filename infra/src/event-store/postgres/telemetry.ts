import type { EventToAppend } from '@netpulse/domain';

/**
 * The time a telemetry event is partitioned by. It comes from the event itself (not the clock at
 * append), so a retried append lands in the same partition and its event id is recognised.
 */
export const occurredAt = (event: EventToAppend, fallback: Date): Date => {
  const data = event.data as { observedAt?: unknown; receivedAt?: unknown } | null;
  const stamp = typeof data?.observedAt === 'string' ? data.observedAt : data?.receivedAt;
  if (typeof stamp === 'string') {
    const parsed = new Date(stamp);
    if (!Number.isNaN(parsed.getTime())) return parsed;
  }
  return fallback;
};

export const dayStart = (at: Date): Date =>
  new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate()));

export const partitionName = (day: Date): string =>
  `telemetry_events_p${day.toISOString().slice(0, 10).replaceAll('-', '')}`;

export const partitionDay = (name: string): Date | null => {
  const match = /^telemetry_events_p(\d{4})(\d{2})(\d{2})$/.exec(name);
  return match ? new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]))) : null;
};
