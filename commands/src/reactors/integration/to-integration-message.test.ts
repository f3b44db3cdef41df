import { alertKeyOf, CURRENT_SCHEMA_VERSION, type RecordedEvent } from '@netpulse/domain';
import { describe, expect, it } from 'vitest';
import type { IntegrationMessage } from './integration-publisher.js';
import { integrationStreams, integrationTopics } from './integration-topics.js';
import { integrationHeaders, type MappingOptions, toIntegrationMessages } from './to-integration-message.js';

const ORG = 'org-integration';
const AT = '2025-06-01T12:00:00.000Z';
const RECORDED = new Date('2025-06-01T12:00:01.500Z');
let position = 0n;

const recorded = (streamId: string, type: string, data: Record<string, unknown>): RecordedEvent => {
  position += 1n;
  return {
    id: `00000000-0000-4000-8000-${position.toString().padStart(12, '0')}`,
    streamId,
    type,
    data,
    streamVersion: 0n,
    globalPosition: position,
    checkpoint: String(position),
    recordedAt: RECORDED,
    metadata: {
      organizationId: ORG,
      actor: { kind: 'system', id: 'test' },
      correlationId: `corr-${position}`,
      causationId: `cause-${position}`,
      schemaVersion: CURRENT_SCHEMA_VERSION,
      hash: 'h',
      previousHash: '',
    },
  };
};

const topics = integrationTopics('acme.noc');
const options = (overrides: Partial<MappingOptions> = {}): MappingOptions => ({
  topics,
  publishObservations: false,
  deviceOfAlert: () => null,
  ...overrides,
});

const schemaOf = (message: IntegrationMessage) => {
  const stream = Object.values(integrationStreams).find((s) => s.schemaId === message.value.schema);
  if (!stream) throw new Error(`no stream for ${message.value.schema}`);
  return stream.schema;
};

/** Every message must be what its documented schema says, on the wire (JSON), not only in memory. */
const expectValid = (messages: readonly IntegrationMessage[]) => {
  for (const message of messages) {
    const wire = JSON.parse(JSON.stringify(message.value));
    expect(schemaOf(message).safeParse(wire).error).toBeUndefined();
  }
};

const registered = (deviceId: string) =>
  recorded(`device-${deviceId}`, 'DeviceRegistered', {
    deviceId,
    name: 'core switch',
    address: '10.0.0.1',
    kind: 'switch',
    location: 'rack 4',
    tags: ['core'],
    parentId: null,
    probes: {
      icmp: { enabled: true, intervalSeconds: 30, packets: 3, timeoutMs: 2000 },
      snmp: {
        version: 'v2c',
        port: 161,
        credentialRef: 'core-community',
        intervalSeconds: 60,
        timeoutMs: 3000,
      },
      tcp: null,
    },
    registeredAt: AT,
  });

const observed = (deviceId: string) =>
  recorded(`observations-${deviceId}`, 'DeviceObserved', {
    deviceId,
    pollerId: 'poller-1',
    probe: 'icmp',
    scheduledAt: AT,
    observedAt: AT,
    durationMs: 3,
    reachable: true,
    error: null,
    icmp: { sent: 3, received: 3, lossPct: 0, rttMinMs: 1, rttAvgMs: 1.5, rttMaxMs: 2, jitterMs: 0.1 },
    tcp: null,
    snmp: null,
  });

const swOneWentDown = () =>
  recorded('device-sw-1', 'DeviceStatusChanged', {
    deviceId: 'sw-1',
    from: 'up',
    to: 'down',
    reason: '3 probes failed',
    changedAt: AT,
  });

describe('integration events from domain events', () => {
  it('names every header as integrationHeaders says, and no other', () => {
    const event = swOneWentDown();
    const [message] = toIntegrationMessages([event], options()).messages;
    expect(Object.keys(message?.headers ?? {}).sort()).toEqual(Object.values(integrationHeaders).sort());
  });

  it('a status change goes to the device-status topic, keyed by device, with every header', () => {
    const event = swOneWentDown();
    const { messages } = toIntegrationMessages([event], options());
    expect(messages).toEqual([
      {
        topic: 'acme.noc.device-status.v1',
        key: 'sw-1',
        headers: {
          'event-id': event.id,
          'event-type': 'device.status-changed',
          'schema-version': '1',
          'organization-id': ORG,
          'correlation-id': event.metadata.correlationId,
        },
        value: {
          schema: 'netpulse.device-status.v1',
          eventId: event.id,
          eventType: 'device.status-changed',
          organizationId: ORG,
          occurredAt: AT,
          recordedAt: '2025-06-01T12:00:01.500Z',
          correlationId: event.metadata.correlationId,
          causationId: event.metadata.causationId,
          data: { deviceId: 'sw-1', from: 'up', to: 'down', reason: '3 probes failed', changedAt: AT },
        },
      },
    ]);
    expectValid(messages);
  });

  it('an alert lifecycle stays on one key, the alert key, and names the device on every message', () => {
    const alertKey = alertKeyOf({ deviceId: 'sw-1', condition: 'device-down' });
    const stream = `alert-${alertKey}`;
    const person = { kind: 'user', id: 'operator-7' };
    const events = [
      recorded(stream, 'AlertRaised', {
        alertId: 'alert-1',
        alertKey,
        deviceId: 'sw-1',
        ruleId: null,
        condition: 'device-down',
        severity: 'critical',
        summary: 'sw-1 is down',
        details: { failures: 3 },
        raisedAt: AT,
      }),
      recorded(stream, 'AlertRepeated', {
        alertId: 'alert-1',
        count: 2,
        severity: 'critical',
        repeatedAt: AT,
      }),
      recorded(stream, 'AlertAcknowledged', {
        alertId: 'alert-1',
        by: person,
        note: 'on it',
        acknowledgedAt: AT,
      }),
      recorded(stream, 'AlertEscalated', { alertId: 'alert-1', level: 1, policyId: null, escalatedAt: AT }),
      recorded(stream, 'AlertSuppressed', {
        alertId: 'alert-1',
        reason: 'maintenance',
        detail: 'window w-1',
        suppressedAt: AT,
      }),
      recorded(stream, 'AlertUnsuppressed', { alertId: 'alert-1', unsuppressedAt: AT }),
      recorded(stream, 'AlertUnacknowledged', {
        alertId: 'alert-1',
        by: person,
        note: null,
        unacknowledgedAt: AT,
      }),
      recorded(stream, 'AlertResolved', {
        alertId: 'alert-1',
        by: { kind: 'system', id: 'alerting-reactor' },
        automatic: true,
        note: null,
        resolvedAt: AT,
      }),
    ];
    const deviceOfAlert = (key: string) => (key === alertKey ? 'sw-1' : null);
    const { messages } = toIntegrationMessages(events, options({ deviceOfAlert }));

    expect(messages.map((m) => m.headers['event-type'])).toEqual([
      'alert.raised',
      'alert.repeated',
      'alert.acknowledged',
      'alert.escalated',
      'alert.suppressed',
      'alert.unsuppressed',
      'alert.unacknowledged',
      'alert.resolved',
    ]);
    expect(new Set(messages.map((m) => m.topic))).toEqual(new Set(['acme.noc.alerts.v1']));
    expect(new Set(messages.map((m) => m.key))).toEqual(new Set([alertKey]));
    expect(messages.map((m) => m.headers['event-id'])).toEqual(events.map((e) => e.id));
    for (const message of messages) {
      expect(message.value.data).toMatchObject({ alertId: 'alert-1', alertKey, deviceId: 'sw-1' });
    }
    expect(messages[2]?.value.data).toMatchObject({ by: person, note: 'on it' });
    expect(messages[7]?.value.data).toMatchObject({ automatic: true });
    expectValid(messages);
  });

  it('an alert whose device is unknown still goes out, with a null device', () => {
    const event = recorded('alert-k-unknown', 'AlertResolved', {
      alertId: 'alert-9',
      by: { kind: 'user', id: 'u' },
      automatic: false,
      note: 'fixed the cable',
      resolvedAt: AT,
    });
    const { messages } = toIntegrationMessages([event], options());
    expect(messages[0]?.key).toBe('k-unknown');
    expect(messages[0]?.value.data).toMatchObject({ alertKey: 'k-unknown', deviceId: null });
    expectValid(messages);
  });

  it('the inventory leaves probe settings (credential references) out', () => {
    const { messages } = toIntegrationMessages([registered('sw-2')], options());
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatchObject({ topic: 'acme.noc.devices.v1', key: 'sw-2' });
    expect(messages[0]?.value.data).toEqual({
      deviceId: 'sw-2',
      name: 'core switch',
      address: '10.0.0.1',
      kind: 'switch',
      location: 'rack 4',
      tags: ['core'],
      parentId: null,
      registeredAt: AT,
    });
    expect(JSON.stringify(messages)).not.toMatch(/credentialRef|core-community|probes/);
    expectValid(messages);
  });

  it('an update publishes only inventory changes; one that touched probe settings only publishes nothing', () => {
    const probesOnly = recorded('device-sw-2', 'DeviceUpdated', {
      deviceId: 'sw-2',
      changes: { probes: { icmp: { enabled: false, intervalSeconds: 30, packets: 3, timeoutMs: 2000 } } },
      updatedAt: AT,
    });
    const renamed = recorded('device-sw-2', 'DeviceUpdated', {
      deviceId: 'sw-2',
      changes: {
        name: 'edge switch',
        tags: ['edge'],
        probes: { icmp: { enabled: true, intervalSeconds: 10, packets: 3, timeoutMs: 2000 } },
      },
      updatedAt: AT,
    });
    const gone = recorded('device-sw-2', 'DeviceDecommissioned', {
      deviceId: 'sw-2',
      reason: 'replaced',
      decommissionedAt: AT,
    });
    const { messages } = toIntegrationMessages([probesOnly, renamed, gone], options());
    expect(messages.map((m) => [m.headers['event-id'], m.headers['event-type']])).toEqual([
      [renamed.id, 'device.updated'],
      [gone.id, 'device.decommissioned'],
    ]);
    expect(messages[0]?.value.data).toEqual({
      deviceId: 'sw-2',
      changes: { name: 'edge switch', tags: ['edge'] },
      updatedAt: AT,
    });
    expectValid(messages);
  });

  it('observations are published only when enabled, keyed by device', () => {
    const events = [observed('sw-3'), observed('sw-4')];
    expect(toIntegrationMessages(events, options()).messages).toEqual([]);
    const { messages } = toIntegrationMessages(events, options({ publishObservations: true }));
    expect(messages.map((m) => [m.topic, m.key, m.headers['event-type']])).toEqual([
      ['acme.noc.observations.v1', 'sw-3', 'device.observed'],
      ['acme.noc.observations.v1', 'sw-4', 'device.observed'],
    ]);
    expect(messages[0]?.value.data).toMatchObject({
      probe: 'icmp',
      reachable: true,
      icmp: { rttAvgMs: 1.5 },
    });
    expectValid(messages);
  });

  it('a malformed event is set apart and the rest of the batch still goes out, in order', () => {
    const before = registered('sw-5');
    const broken = recorded('device-sw-5', 'DeviceStatusChanged', { deviceId: 'sw-5', to: 'sideways' });
    const after = recorded('device-sw-5', 'DeviceDecommissioned', {
      deviceId: 'sw-5',
      reason: 'gone',
      decommissionedAt: AT,
    });
    const { messages, malformed } = toIntegrationMessages([before, broken, after], options());
    expect(malformed).toEqual([broken]);
    expect(messages.map((m) => m.headers['event-id'])).toEqual([before.id, after.id]);
  });

  it('internal events (notes, notifications, maintenance, traps) are not published', () => {
    const events = [
      recorded('alert-k', 'AlertNoteAdded', {
        alertId: 'a',
        noteId: 'n',
        by: { kind: 'user', id: 'u' },
        text: 'call the vendor',
        addedAt: AT,
      }),
      recorded('alert-k', 'NotificationSent', {
        alertId: 'a',
        notificationId: 'n',
        channel: 'email',
        target: 'noc@example.com',
        kind: 'raised',
        attempt: 1,
        sentAt: AT,
      }),
      recorded('device-sw-6', 'DeviceMaintenanceScheduled', {
        deviceId: 'sw-6',
        windowId: 'w',
        startsAt: AT,
        endsAt: AT,
        reason: 'firmware',
        scheduledAt: AT,
      }),
      recorded('traps-sw-6', 'TrapReceived', {
        deviceId: 'sw-6',
        sourceAddress: '127.0.0.1',
        version: 'v2c',
        trapOid: '1.3.6.1.6.3.1.1.5.3',
        varbinds: [],
        receivedAt: AT,
      }),
    ];
    const result = toIntegrationMessages(events, options({ publishObservations: true }));
    expect(result).toEqual({ messages: [], malformed: [] });
  });

  it('topic names follow the prefix, and a prefix Kafka would refuse is refused', () => {
    expect(integrationTopics()).toEqual({
      deviceStatus: 'netpulse.device-status.v1',
      alerts: 'netpulse.alerts.v1',
      devices: 'netpulse.devices.v1',
      observations: 'netpulse.observations.v1',
    });
    expect(() => integrationTopics('my topics!')).toThrow(/prefix/);
  });
});
