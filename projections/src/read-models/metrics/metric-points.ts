import type { DeviceObserved, RecordedEvent } from '@netpulse/domain';
import type { Column } from '../../sql/queryable.js';

/** One raw row per observation: the device-level metrics side by side (wide, not one row per metric). */
export type DevicePoint = [
  organization_id: string,
  device_id: string,
  time: string,
  probe: string,
  reachable: boolean,
  rtt_avg_ms: number | null,
  rtt_max_ms: number | null,
  loss_pct: number | null,
  jitter_ms: number | null,
  tcp_connect_ms: number | null,
  cpu_pct: number | null,
  memory_pct: number | null,
];

export const devicePointColumns: readonly Column[] = [
  ['organization_id', 'text'],
  ['device_id', 'text'],
  ['time', 'timestamptz'],
  ['probe', 'text'],
  ['reachable', 'boolean'],
  ['rtt_avg_ms', 'float8'],
  ['rtt_max_ms', 'float8'],
  ['loss_pct', 'float8'],
  ['jitter_ms', 'float8'],
  ['tcp_connect_ms', 'float8'],
  ['cpu_pct', 'float8'],
  ['memory_pct', 'float8'],
];

/** One raw row per interface sample. */
export type InterfacePoint = [
  organization_id: string,
  device_id: string,
  if_index: number,
  if_name: string,
  time: string,
  oper_status: string,
  in_bps: number | null,
  out_bps: number | null,
  in_errors: number | null,
  out_errors: number | null,
];

export const interfacePointColumns: readonly Column[] = [
  ['organization_id', 'text'],
  ['device_id', 'text'],
  ['if_index', 'integer'],
  ['if_name', 'text'],
  ['time', 'timestamptz'],
  ['oper_status', 'text'],
  ['in_bps', 'float8'],
  ['out_bps', 'float8'],
  ['in_errors', 'float8'],
  ['out_errors', 'float8'],
];

export type MetricPoints = Readonly<{ devices: DevicePoint[]; interfaces: InterfacePoint[] }>;

/**
 * Rows travel as JSON arrays of arrays (positional), which PostgreSQL expands with
 * `json_array_elements` + `->>n`: half the bytes of objects with keys, for a batch of thousands.
 */
export const metricPoints = (events: readonly RecordedEvent[]): MetricPoints => {
  const devices: DevicePoint[] = [];
  const interfaces: InterfacePoint[] = [];
  for (const event of events) {
    if (event.type !== 'DeviceObserved') continue;
    const data = event.data as DeviceObserved['data'];
    const org = event.metadata.organizationId;
    devices.push([
      org,
      data.deviceId,
      data.observedAt,
      data.probe,
      data.reachable,
      data.icmp?.rttAvgMs ?? null,
      data.icmp?.rttMaxMs ?? null,
      data.icmp?.lossPct ?? null,
      data.icmp?.jitterMs ?? null,
      data.tcp?.connectMs ?? null,
      data.snmp?.cpuPct ?? null,
      data.snmp?.memoryPct ?? null,
    ]);
    for (const sample of data.snmp?.interfaces ?? []) {
      interfaces.push([
        org,
        data.deviceId,
        sample.index,
        sample.name,
        data.observedAt,
        sample.operStatus,
        sample.inBps,
        sample.outBps,
        sample.inErrors,
        sample.outErrors,
      ]);
    }
  }
  return { devices, interfaces };
};

/** `select` list turning positional JSON arrays (alias `p`) back into typed columns. */
export const positional = (columns: readonly Column[]): string =>
  columns
    .map(([name, type], index) =>
      type === 'text' ? `p->>${index} as ${name}` : `(p->>${index})::${type} as ${name}`,
    )
    .join(', ');
