import { randomUUID } from 'node:crypto';
import {
  alertKeyOf,
  CURRENT_SCHEMA_VERSION,
  type EventStore,
  type EventToAppend,
  type StreamAppend,
  streamCategories,
  streamId,
} from '@netpulse/domain';

export const SEED_ORG = 'org-kafka-it';
const AT = '2025-06-01T12:00:00.000Z';

const event = (type: string, data: Record<string, unknown>): EventToAppend => {
  const id = randomUUID();
  return {
    id,
    type,
    data,
    metadata: {
      organizationId: SEED_ORG,
      actor: { kind: 'system', id: 'kafka-it' },
      correlationId: `corr-${id}`,
      causationId: id,
      schemaVersion: CURRENT_SCHEMA_VERSION,
    },
  };
};

/**
 * Per device, the history the publisher owes Kafka, as valid domain events: registered, up, down,
 * an alert raised, acknowledged and resolved, up again (7 events on two streams).
 */
export const deviceHistory = (deviceId: string): readonly [StreamAppend[], StreamAppend[]] => {
  const alertKey = alertKeyOf({ deviceId, condition: 'device-down' });
  const alertId = `${deviceId}-outage`;
  const status = (from: string, to: string) =>
    event('DeviceStatusChanged', { deviceId, from, to, reason: 'probes', changedAt: AT });
  return [
    [
      {
        streamId: streamId(streamCategories.device, deviceId),
        expectedVersion: 'any',
        events: [
          event('DeviceRegistered', {
            deviceId,
            name: deviceId,
            address: '127.0.0.1',
            kind: 'router',
            location: null,
            tags: ['kafka-it'],
            parentId: null,
            probes: {
              icmp: { enabled: true, intervalSeconds: 30, packets: 3, timeoutMs: 2000 },
              snmp: null,
              tcp: null,
            },
            registeredAt: AT,
          }),
          status('unknown', 'up'),
          status('up', 'down'),
        ],
      },
      {
        streamId: streamId(streamCategories.alert, alertKey),
        expectedVersion: 'any',
        events: [
          event('AlertRaised', {
            alertId,
            alertKey,
            deviceId,
            ruleId: null,
            condition: 'device-down',
            severity: 'critical',
            summary: `${deviceId} is down`,
            details: {},
            raisedAt: AT,
          }),
          event('AlertAcknowledged', {
            alertId,
            by: { kind: 'user', id: 'operator' },
            note: null,
            acknowledgedAt: AT,
          }),
          event('AlertResolved', {
            alertId,
            by: { kind: 'system', id: 'alerting-reactor' },
            automatic: true,
            note: null,
            resolvedAt: AT,
          }),
        ],
      },
    ],
    [
      {
        streamId: streamId(streamCategories.device, deviceId),
        expectedVersion: 'any',
        events: [status('down', 'up')],
      },
    ],
  ];
};

export const EVENTS_PER_DEVICE = 7;

/** Appends the histories of `devices`, 50 devices per appendMany (one stream at most once per call). */
export const seedHistory = async (store: EventStore, devices: readonly string[]): Promise<void> => {
  for (let i = 0; i < devices.length; i += 50) {
    const histories = devices.slice(i, i + 50).map(deviceHistory);
    await store.appendMany(histories.flatMap(([first]) => first));
    await store.appendMany(histories.flatMap(([, second]) => second));
  }
};
