import type { RecordedEvent } from '@netpulse/domain';

/** Alert lifecycle events `alertChanged` reports (notification bookkeeping is not a change of the alert). */
export const alertChanges: ReadonlySet<string> = new Set([
  'AlertRaised',
  'AlertRepeated',
  'AlertAcknowledged',
  'AlertUnacknowledged',
  'AlertEscalated',
  'AlertSuppressed',
  'AlertUnsuppressed',
  'AlertResolved',
  'AlertNoteAdded',
]);

const timeFields = [
  'changedAt',
  'raisedAt',
  'repeatedAt',
  'acknowledgedAt',
  'unacknowledgedAt',
  'escalatedAt',
  'suppressedAt',
  'unsuppressedAt',
  'resolvedAt',
  'addedAt',
  'observedAt',
] as const;

export const eventData = (event: RecordedEvent): Record<string, unknown> =>
  typeof event.data === 'object' && event.data !== null ? (event.data as Record<string, unknown>) : {};

/** When the change happened, as the event says (the decision time), else when it was recorded. */
export const eventTime = (event: RecordedEvent): string => {
  const data = eventData(event);
  for (const field of timeFields) {
    const value = data[field];
    if (typeof value === 'string') return value;
  }
  return event.recordedAt.toISOString();
};

const text = (value: unknown): string | null => (typeof value === 'string' ? value : null);
const num = (value: unknown): number | null => (typeof value === 'number' ? value : null);
const record = (value: unknown): Record<string, unknown> | null =>
  typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : null;

/** Context the payload's own field resolvers need (which organization's read model to ask). */
type Scoped = Readonly<{ organizationId: string }>;

export type DeviceStatusPayload = Scoped &
  Readonly<{
    deviceId: string;
    from: string | null;
    to: string;
    reason: string | null;
    at: string;
    checkpoint: string;
  }>;

export const deviceStatusPayload = (event: RecordedEvent): DeviceStatusPayload => {
  const data = eventData(event);
  return {
    organizationId: event.metadata.organizationId,
    deviceId: String(data.deviceId),
    from: text(data.from),
    to: String(data.to),
    reason: text(data.reason),
    at: eventTime(event),
    checkpoint: event.checkpoint,
  };
};

export type AlertChangePayload = Scoped &
  Readonly<{
    alertId: string;
    change: string;
    at: string;
    actor: Readonly<{ kind: string; id: string }>;
    checkpoint: string;
  }>;

export const alertChangePayload = (event: RecordedEvent): AlertChangePayload => ({
  organizationId: event.metadata.organizationId,
  alertId: String(eventData(event).alertId),
  change: event.type,
  at: eventTime(event),
  actor: event.metadata.actor,
  checkpoint: event.checkpoint,
});

/** One probe's observation: fields that probe did not measure are null. */
export const liveMetricsPayload = (event: RecordedEvent) => {
  const data = eventData(event);
  const icmp = record(data.icmp);
  const snmp = record(data.snmp);
  const tcp = record(data.tcp);
  const interfaces = Array.isArray(snmp?.interfaces)
    ? snmp.interfaces.map((item: unknown) => {
        const sample = record(item) ?? {};
        return {
          ifIndex: num(sample.index),
          name: text(sample.name),
          inBps: num(sample.inBps),
          outBps: num(sample.outBps),
        };
      })
    : null;
  return {
    deviceId: String(data.deviceId),
    probe: String(data.probe),
    observedAt: eventTime(event),
    reachable: typeof data.reachable === 'boolean' ? data.reachable : null,
    rttAvgMs: num(icmp?.rttAvgMs),
    lossPct: num(icmp?.lossPct),
    tcpConnectMs: num(tcp?.connectMs),
    cpuPct: num(snmp?.cpuPct),
    memoryPct: num(snmp?.memoryPct),
    interfaces,
    error: text(record(data.error)?.message),
  };
};
