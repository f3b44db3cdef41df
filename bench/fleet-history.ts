/**
 * A fleet's history as the rebuild and pipeline benchmarks append it: realistic events with
 * deterministic ids, shaped like the poller's and the command side's.
 */
import {
  CURRENT_SCHEMA_VERSION,
  deterministicId,
  type EventToAppend,
  type StreamAppend,
  streamId,
} from '@netpulse/domain';

export const BENCH_ORG = 'org-bench';
type Actor = { kind: 'user' | 'poller' | 'system'; id: string };

const meta = (actor: Actor, id: string, organizationId: string) => ({
  organizationId,
  actor,
  correlationId: id,
  causationId: id,
  schemaVersion: CURRENT_SCHEMA_VERSION,
});

const inOrganization =
  (organizationId: string) =>
  (actor: Actor, type: string, data: Record<string, unknown>, ...seed: (string | number)[]) => {
    const id = deterministicId('bench', type, ...seed);
    return { id, type, data, metadata: meta(actor, id, organizationId) } as EventToAppend;
  };
const make = inOrganization(BENCH_ORG);

export const registration = (deviceId: string, at: string): EventToAppend =>
  make(
    { kind: 'user', id: 'bench-admin' },
    'DeviceRegistered',
    {
      deviceId,
      name: deviceId,
      address: '127.0.0.1',
      kind: 'switch',
      location: 'bench-lab',
      tags: ['bench', `rack:${deviceId.length % 7}`],
      parentId: null,
      probes: { icmp: { enabled: true, intervalSeconds: 30, packets: 3, timeoutMs: 2000 } },
      registeredAt: at,
    },
    deviceId,
  );

export const icmpObservation = (
  deviceId: string,
  at: string,
  n: number,
  organizationId = BENCH_ORG,
): EventToAppend =>
  inOrganization(organizationId)(
    { kind: 'poller', id: 'bench-poller' },
    'DeviceObserved',
    {
      deviceId,
      pollerId: 'bench-poller',
      probe: 'icmp',
      scheduledAt: at,
      observedAt: at,
      durationMs: 2.5,
      reachable: true,
      error: null,
      icmp: {
        sent: 3,
        received: 3,
        lossPct: n % 50 === 0 ? 33.3 : 0,
        rttMinMs: 0.4,
        rttAvgMs: 0.5 + (n % 13) / 10,
        rttMaxMs: 2.1,
        jitterMs: 0.05,
      },
      tcp: null,
      snmp: null,
    },
    deviceId,
    at,
    'icmp',
  );

export const snmpObservation = (deviceId: string, at: string, n: number, interfaces: number): EventToAppend =>
  make(
    { kind: 'poller', id: 'bench-poller' },
    'DeviceObserved',
    {
      deviceId,
      pollerId: 'bench-poller',
      probe: 'snmp',
      scheduledAt: at,
      observedAt: at,
      durationMs: 35,
      reachable: true,
      error: null,
      icmp: null,
      tcp: null,
      snmp: {
        sysUpTimeSeconds: 86_400 + n * 60,
        sysName: deviceId,
        sysDescr: 'Cisco IOS Software, C2960 Software',
        cpuPct: (n * 7) % 100,
        memoryPct: 30 + (n % 40),
        disks: [],
        interfaces: Array.from({ length: interfaces }, (_, index) => ({
          index: index + 1,
          name: `GigabitEthernet0/${index + 1}`,
          operStatus: 'up',
          speedMbps: 1_000,
          inBps: 1_000_000 + ((n * 7_919 + index * 104_729) % 50_000_000),
          outBps: 800_000 + ((n * 6_007 + index * 7_727) % 40_000_000),
          inErrors: 0,
          outErrors: n % 11 === 0 ? 1 : 0,
          inDiscards: 0,
          outDiscards: 0,
        })),
        partialErrors: [],
      },
    },
    deviceId,
    at,
    'snmp',
  );

export const statusChange = (deviceId: string, at: string, from: string, to: string): EventToAppend =>
  make(
    { kind: 'system', id: 'health-reactor' },
    'DeviceStatusChanged',
    {
      deviceId,
      from,
      to,
      reason: `${from} → ${to}`,
      changedAt: at,
    },
    deviceId,
    at,
    to,
  );

export const alertEvents = (deviceId: string, at: string, resolvedAt: string, n: number): EventToAppend[] => {
  const alertId = deterministicId('bench-alert', deviceId, n);
  const system: Actor = { kind: 'system', id: 'alert-reactor' };
  return [
    make(
      system,
      'AlertRaised',
      {
        alertId,
        alertKey: `${deviceId}-down`,
        deviceId,
        ruleId: null,
        condition: 'device-down',
        severity: 'major',
        summary: `${deviceId} is down`,
        details: { lossPct: 100 },
        raisedAt: at,
      },
      alertId,
    ),
    make(
      system,
      'NotificationSent',
      {
        alertId,
        notificationId: `${alertId}-1`,
        channel: 'email',
        target: 'noc@example.com',
        kind: 'raised',
        attempt: 1,
        sentAt: at,
      },
      alertId,
      'sent',
    ),
    make(
      system,
      'AlertResolved',
      {
        alertId,
        by: system,
        automatic: true,
        note: null,
        resolvedAt,
      },
      alertId,
      'resolved',
    ),
  ];
};

export const observations = (deviceId: string) => streamId('observations', deviceId);
export const deviceStream = (deviceId: string) => streamId('device', deviceId);
export const alertStream = (deviceId: string) => streamId('alert', `${deviceId}-down`);

export const appendOf = (stream: string, events: EventToAppend[]): StreamAppend => ({
  streamId: stream,
  expectedVersion: 'any',
  events,
});
