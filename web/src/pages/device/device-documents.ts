import { gql } from '../../graphql/document';
import type { BigIntString, DateTime, DeviceStatus, WriteResult } from '../../graphql/schema-types';
import { ALERT_FIELDS, type ConsoleAlert } from '../alerts/alert-documents';
import type { StatusChange } from './status-segments';

export type MaintenanceWindow = Readonly<{
  windowId: string;
  startsAt: DateTime;
  endsAt: DateTime;
  reason: string;
}>;
export type Availability = Readonly<{
  window: string;
  availabilityPct: number | null;
  monitoredSeconds: number;
  downtimeSeconds: number;
  outages: number;
  mttrSeconds: number | null;
}>;

export type DeviceDetail = Readonly<{
  deviceId: string;
  name: string;
  address: string;
  kind: string;
  location: string | null;
  tags: readonly string[];
  parentId: string | null;
  probes: unknown;
  status: DeviceStatus;
  statusReason: string | null;
  statusChangedAt: DateTime | null;
  monitoringPaused: boolean;
  inMaintenance: boolean;
  maintenance: readonly MaintenanceWindow[];
  registeredAt: DateTime;
  updatedAt: DateTime;
  version: BigIntString | null;
  latest: Readonly<{
    observedAt: DateTime | null;
    reachable: boolean | null;
    rttAvgMs: number | null;
    lossPct: number | null;
    cpuPct: number | null;
    memoryPct: number | null;
    lastError: string | null;
  }>;
  statusTimeline: readonly StatusChange[];
  availability: readonly Availability[];
  activeAlerts: readonly ConsoleAlert[];
}>;

export const DeviceDetailQuery = gql<{ device: DeviceDetail | null }, { deviceId: string }>(
  `query DeviceDetail($deviceId: String!) {
    device(deviceId: $deviceId) {
      deviceId name address kind location tags parentId probes status statusReason statusChangedAt
      monitoringPaused inMaintenance maintenance { windowId startsAt endsAt reason } registeredAt updatedAt version
      latest { observedAt reachable rttAvgMs lossPct cpuPct memoryPct lastError }
      statusTimeline(limit: 200) { from to reason at }
      availability { window availabilityPct monitoredSeconds downtimeSeconds outages mttrSeconds }
      activeAlerts { ${ALERT_FIELDS} }
    }
  }`,
);

export type Resolution = 'auto' | 'raw' | 'oneMinute' | 'oneHour';
export type MetricPoint = Readonly<{
  time: DateTime;
  avg: number | null;
  min: number | null;
  max: number | null;
}>;
export type Series = Readonly<{ resolution: Resolution; points: readonly MetricPoint[] }>;
const SERIES = 'resolution points { time avg min max }';

export const DeviceSeriesQuery = gql<
  { rtt: Series; loss: Series; cpu: Series; memory: Series },
  { deviceId: string; from: DateTime; to: DateTime }
>(
  `query DeviceSeries($deviceId: String!, $from: DateTime!, $to: DateTime!) {
    rtt: deviceMetrics(deviceId: $deviceId, metric: rttAvgMs, from: $from, to: $to) { ${SERIES} }
    loss: deviceMetrics(deviceId: $deviceId, metric: lossPct, from: $from, to: $to) { ${SERIES} }
    cpu: deviceMetrics(deviceId: $deviceId, metric: cpuPct, from: $from, to: $to) { ${SERIES} }
    memory: deviceMetrics(deviceId: $deviceId, metric: memoryPct, from: $from, to: $to) { ${SERIES} }
  }`,
);

export const InterfaceSeriesQuery = gql<
  { inBps: Series; outBps: Series },
  { deviceId: string; ifIndex: number; from: DateTime; to: DateTime }
>(
  `query InterfaceSeries($deviceId: String!, $ifIndex: Int!, $from: DateTime!, $to: DateTime!) {
    inBps: deviceMetrics(deviceId: $deviceId, metric: inBps, ifIndex: $ifIndex, from: $from, to: $to) { ${SERIES} }
    outBps: deviceMetrics(deviceId: $deviceId, metric: outBps, ifIndex: $ifIndex, from: $from, to: $to) { ${SERIES} }
  }`,
);

/** One probe's observation; what that probe does not measure is null. */
export type LiveMetrics = Readonly<{
  deviceId: string;
  probe: string;
  observedAt: DateTime;
  reachable: boolean | null;
  rttAvgMs: number | null;
  lossPct: number | null;
  tcpConnectMs: number | null;
  cpuPct: number | null;
  memoryPct: number | null;
  interfaces: unknown;
  error: string | null;
}>;

export const LiveMetricsSubscription = gql<{ deviceMetrics: LiveMetrics }, { deviceId: string }>(
  `subscription DeviceMetricsLive($deviceId: String!) {
    deviceMetrics(deviceId: $deviceId) {
      deviceId probe observedAt reachable rttAvgMs lossPct tcpConnectMs cpuPct memoryPct interfaces error
    }
  }`,
);

export const DeviceStatusLiveSubscription = gql<
  { deviceStatusChanged: { deviceId: string; to: DeviceStatus; at: DateTime } },
  { deviceId: string }
>(
  `subscription DeviceStatusOne($deviceId: String) { deviceStatusChanged(deviceId: $deviceId) { deviceId to at } }`,
);

const write = 'streamId version eventsWritten';

export const ScheduleMaintenanceMutation = gql<
  { scheduleMaintenance: WriteResult },
  {
    input: { deviceId: string; startsAt: DateTime; endsAt: DateTime; reason: string };
    expectedVersion: string | null;
  }
>(
  `mutation ScheduleMaintenance($input: ScheduleMaintenanceInput!, $expectedVersion: BigInt) {
    scheduleMaintenance(input: $input, expectedVersion: $expectedVersion) { ${write} }
  }`,
);

export const CancelMaintenanceMutation = gql<
  { cancelMaintenance: WriteResult },
  { deviceId: string; windowId: string; expectedVersion: string | null }
>(
  `mutation CancelMaintenance($deviceId: String!, $windowId: String!, $expectedVersion: BigInt) {
    cancelMaintenance(deviceId: $deviceId, windowId: $windowId, expectedVersion: $expectedVersion) { ${write} }
  }`,
);

export const PauseMonitoringMutation = gql<
  { pauseMonitoring: WriteResult },
  { deviceId: string; reason: string }
>(
  `mutation PauseMonitoring($deviceId: String!, $reason: String!) { pauseMonitoring(deviceId: $deviceId, reason: $reason) { ${write} } }`,
);
export const ResumeMonitoringMutation = gql<{ resumeMonitoring: WriteResult }, { deviceId: string }>(
  `mutation ResumeMonitoring($deviceId: String!) { resumeMonitoring(deviceId: $deviceId) { ${write} } }`,
);

/** Interfaces named in a live sample's `interfaces` JSON: [{ ifIndex, name, inBps, outBps }]. */
export type InterfaceInfo = Readonly<{
  ifIndex: number;
  name: string;
  inBps: number | null;
  outBps: number | null;
}>;

export const parseInterfaces = (value: unknown): InterfaceInfo[] => {
  if (!Array.isArray(value)) return [];
  const result: InterfaceInfo[] = [];
  for (const item of value) {
    if (typeof item !== 'object' || item === null) continue;
    const entry = item as Record<string, unknown>;
    const ifIndex =
      typeof entry.ifIndex === 'number'
        ? entry.ifIndex
        : typeof entry.index === 'number'
          ? entry.index
          : null;
    if (ifIndex === null) continue;
    result.push({
      ifIndex,
      name: typeof entry.name === 'string' ? entry.name : `if${ifIndex}`,
      inBps: typeof entry.inBps === 'number' ? entry.inBps : null,
      outBps: typeof entry.outBps === 'number' ? entry.outBps : null,
    });
  }
  return result.sort((a, b) => a.ifIndex - b.ifIndex);
};

export type LatestValues = DeviceDetail['latest'];

/**
 * Folds one probe's live observation into the latest values: only what that probe measured
 * replaces what is shown (an SNMP sample leaves the ICMP round trip alone).
 */
export const foldLiveMetrics = (latest: LatestValues, live: LiveMetrics): LatestValues => ({
  observedAt: live.observedAt,
  reachable: live.reachable ?? latest.reachable,
  rttAvgMs: live.rttAvgMs ?? latest.rttAvgMs,
  lossPct: live.lossPct ?? latest.lossPct,
  cpuPct: live.cpuPct ?? latest.cpuPct,
  memoryPct: live.memoryPct ?? latest.memoryPct,
  lastError:
    live.reachable === false ? (live.error ?? latest.lastError) : live.reachable ? null : latest.lastError,
});
