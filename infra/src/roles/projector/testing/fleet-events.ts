import {
  CURRENT_SCHEMA_VERSION,
  type DeviceObserved,
  deterministicId,
  type EventToAppend,
  type StreamAppend,
  streamId,
} from '@netpulse/domain';

type Actor = { kind: 'user' | 'api-key' | 'poller' | 'system'; id: string };

const event = (
  organizationId: string,
  actor: Actor,
  seed: readonly (string | number)[],
  type: string,
  data: Record<string, unknown>,
): EventToAppend => {
  const id = deterministicId('projector-test', type, ...seed.map(String));
  return {
    id,
    type,
    data,
    metadata: {
      organizationId,
      actor,
      correlationId: id,
      causationId: id,
      schemaVersion: CURRENT_SCHEMA_VERSION,
    },
  };
};

const user: Actor = { kind: 'user', id: 'alice' };
const system: Actor = { kind: 'system', id: 'health-reactor' };
const poller: Actor = { kind: 'poller', id: 'poller-1' };

export const iso = (base: Date, seconds: number): string =>
  new Date(base.getTime() + seconds * 1_000).toISOString();

/** A realistic DeviceObserved: ICMP, or SNMP with interface rates. */
export const observation = (
  organizationId: string,
  deviceId: string,
  at: string,
  n: number,
  kind: 'icmp' | 'snmp',
  interfaces = 4,
): EventToAppend<DeviceObserved> => {
  const icmp = kind === 'icmp';
  const rtt = 1 + ((n * 7) % 50) / 10;
  return event(organizationId, poller, [deviceId, at, kind, n], 'DeviceObserved', {
    deviceId,
    pollerId: 'poller-1',
    probe: kind,
    scheduledAt: at,
    observedAt: at,
    durationMs: 12.5,
    reachable: n % 17 !== 0,
    error: n % 17 === 0 ? { code: 'TIMEOUT', message: 'no reply within 2000 ms' } : null,
    icmp: icmp
      ? {
          sent: 3,
          received: n % 17 === 0 ? 0 : 3,
          lossPct: n % 17 === 0 ? 100 : 0,
          rttMinMs: rtt * 0.8,
          rttAvgMs: n % 17 === 0 ? null : rtt,
          rttMaxMs: rtt * 1.3,
          jitterMs: 0.11,
        }
      : null,
    tcp: null,
    snmp: icmp
      ? null
      : {
          sysUpTimeSeconds: 1_000 + n,
          sysName: deviceId,
          sysDescr: 'Linux lab 6.1',
          cpuPct: (n * 13) % 100,
          memoryPct: 40 + (n % 30),
          disks: [],
          interfaces: Array.from({ length: interfaces }, (_, index) => ({
            index: index + 1,
            name: `eth${index}`,
            operStatus: 'up',
            speedMbps: 1_000,
            inBps: 1_000_000 + n * 1_013 + index,
            outBps: 500_000 + n * 733 + index,
            inErrors: 0,
            outErrors: n % 5,
            inDiscards: 0,
            outDiscards: 0,
          })),
          partialErrors: [],
        },
  }) as EventToAppend<DeviceObserved>;
};

export const deviceStream = (deviceId: string) => streamId('device', deviceId);
export const observationStream = (deviceId: string) => streamId('observations', deviceId);
export const alertStream = (alertKey: string) => streamId('alert', alertKey);

/** Events the command side and reactors would write, with deterministic ids. */
export const fleetEvents = (organizationId: string) => ({
  registered: (deviceId: string, at: string, extra: Record<string, unknown> = {}) =>
    event(organizationId, user, [deviceId], 'DeviceRegistered', {
      deviceId,
      name: `name-${deviceId}`,
      address: '127.0.0.1',
      kind: 'router',
      location: 'lab',
      tags: ['core', 'site:lab'],
      parentId: null,
      probes: { icmp: { enabled: true, intervalSeconds: 30, packets: 3, timeoutMs: 2000 } },
      registeredAt: at,
      ...extra,
    }),
  updated: (deviceId: string, at: string, changes: Record<string, unknown>) =>
    event(organizationId, user, [deviceId, at], 'DeviceUpdated', { deviceId, changes, updatedAt: at }),
  statusChanged: (deviceId: string, at: string, from: string, to: string) =>
    event(organizationId, system, [deviceId, at, to], 'DeviceStatusChanged', {
      deviceId,
      from,
      to,
      reason: `${from} → ${to}`,
      changedAt: at,
    }),
  maintenance: (deviceId: string, windowId: string, startsAt: string, endsAt: string) =>
    event(organizationId, user, [deviceId, windowId], 'DeviceMaintenanceScheduled', {
      deviceId,
      windowId,
      startsAt,
      endsAt,
      reason: 'firmware upgrade',
      scheduledAt: startsAt,
    }),
  paused: (deviceId: string, at: string) =>
    event(organizationId, user, [deviceId, at], 'DeviceMonitoringPaused', {
      deviceId,
      reason: 'rack move',
      pausedAt: at,
    }),
  decommissioned: (deviceId: string, at: string) =>
    event(organizationId, user, [deviceId, at], 'DeviceDecommissioned', {
      deviceId,
      reason: 'replaced',
      decommissionedAt: at,
    }),
  alertRaised: (alertKey: string, alertId: string, deviceId: string, at: string) =>
    event(organizationId, system, [alertId], 'AlertRaised', {
      alertId,
      alertKey,
      deviceId,
      ruleId: null,
      condition: 'device-down',
      severity: 'major',
      summary: `${deviceId} is down`,
      details: { lossPct: 100 },
      raisedAt: at,
    }),
  alertRepeated: (alertId: string, count: number, at: string) =>
    event(organizationId, system, [alertId, count], 'AlertRepeated', {
      alertId,
      count,
      severity: 'critical',
      repeatedAt: at,
    }),
  alertAcknowledged: (alertId: string, at: string) =>
    event(organizationId, user, [alertId, 'ack', at], 'AlertAcknowledged', {
      alertId,
      by: user,
      note: 'looking into it',
      acknowledgedAt: at,
    }),
  alertSuppressed: (alertId: string, at: string) =>
    event(organizationId, system, [alertId, 'suppress', at], 'AlertSuppressed', {
      alertId,
      reason: 'maintenance',
      detail: 'window w1',
      suppressedAt: at,
    }),
  alertEscalated: (alertId: string, level: number, at: string) =>
    event(organizationId, system, [alertId, 'esc', level], 'AlertEscalated', {
      alertId,
      level,
      policyId: null,
      escalatedAt: at,
    }),
  notificationSent: (alertId: string, at: string, n: number) =>
    event(organizationId, system, [alertId, 'notify', n], 'NotificationSent', {
      alertId,
      notificationId: `${alertId}-n${n}`,
      channel: 'email',
      target: 'noc@example.com',
      kind: 'raised',
      attempt: 1,
      sentAt: at,
    }),
  alertResolved: (alertId: string, at: string) =>
    event(organizationId, system, [alertId, 'resolve'], 'AlertResolved', {
      alertId,
      by: system,
      automatic: true,
      note: null,
      resolvedAt: at,
    }),
});

export const append = (streamIdValue: string, events: readonly EventToAppend[]): StreamAppend => ({
  streamId: streamIdValue,
  expectedVersion: 'any',
  events,
});
