import type { DeviceObserved, RecordedEvent } from '@netpulse/domain';

type Observation = DeviceObserved['data'];

/** The newest observation summary of one device within a batch (log order), per probe kind. */
export type LastObservationRow = {
  device_id: string;
  organization_id: string;
  last_observed_at: string;
  last_probe: string;
  reachable: boolean;
  last_error: string | null;
  /** Null when the batch had no ICMP observation: the stored ICMP values stay. */
  icmp_observed_at: string | null;
  rtt_avg_ms: number | null;
  loss_pct: number | null;
  snmp_observed_at: string | null;
  cpu_pct: number | null;
  memory_pct: number | null;
};

/**
 * Reduces a batch's observations to one row per device. Only the newest values survive a batch, so
 * the devices model costs one upsert row per observed device, not one per observation; the result
 * is the same however the log is cut into batches.
 */
export const lastObservations = (events: readonly RecordedEvent[]): LastObservationRow[] => {
  const rows = new Map<string, LastObservationRow>();
  for (const event of events) {
    if (event.type !== 'DeviceObserved') continue;
    const data = event.data as Observation;
    const row: LastObservationRow = rows.get(data.deviceId) ?? {
      device_id: data.deviceId,
      organization_id: event.metadata.organizationId,
      last_observed_at: data.observedAt,
      last_probe: data.probe,
      reachable: data.reachable,
      last_error: null,
      icmp_observed_at: null,
      rtt_avg_ms: null,
      loss_pct: null,
      snmp_observed_at: null,
      cpu_pct: null,
      memory_pct: null,
    };
    row.organization_id = event.metadata.organizationId;
    row.last_observed_at = data.observedAt;
    row.last_probe = data.probe;
    row.reachable = data.reachable;
    row.last_error = data.error ? `${data.error.code}: ${data.error.message}` : null;
    if (data.icmp) {
      row.icmp_observed_at = data.observedAt;
      row.rtt_avg_ms = data.icmp.rttAvgMs;
      row.loss_pct = data.icmp.lossPct;
    }
    if (data.snmp) {
      row.snmp_observed_at = data.observedAt;
      row.cpu_pct = data.snmp.cpuPct;
      row.memory_pct = data.snmp.memoryPct;
    }
    rows.set(data.deviceId, row);
  }
  return [...rows.values()];
};
