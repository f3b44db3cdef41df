import { type RecordedEvent, streamEntityId } from '@netpulse/domain';
import { type ParsedEvent, parseEvents } from '../parse-event.js';
import {
  ALERTS_V1,
  type AlertsV1,
  DEVICE_STATUS_V1,
  DEVICES_V1,
  type DeviceStatusV1,
  type DevicesV1,
  type IntegrationEvent,
  OBSERVATIONS_V1,
  type ObservationsV1,
} from './integration-events.js';
import type { IntegrationMessage } from './integration-publisher.js';
import { type IntegrationStream, type IntegrationTopics, integrationStreams } from './integration-topics.js';

export const alertEventTypes = [
  'AlertRaised',
  'AlertRepeated',
  'AlertAcknowledged',
  'AlertUnacknowledged',
  'AlertEscalated',
  'AlertSuppressed',
  'AlertUnsuppressed',
  'AlertResolved',
] as const;
export const deviceEventTypes = [
  'DeviceStatusChanged',
  'DeviceRegistered',
  'DeviceUpdated',
  'DeviceDecommissioned',
] as const;
export const observationEventTypes = ['DeviceObserved'] as const;

export type IntegratedEventType =
  | (typeof alertEventTypes)[number]
  | (typeof deviceEventTypes)[number]
  | (typeof observationEventTypes)[number];

/** The domain events that become integration events; observations only when enabled. */
export const integratedEventTypes = (publishObservations: boolean): readonly IntegratedEventType[] => [
  ...deviceEventTypes,
  ...alertEventTypes,
  ...(publishObservations ? observationEventTypes : []),
];

/**
 * Header names of every message; values are UTF-8 strings. Only what consumers route, filter and
 * deduplicate on without parsing the value: each header costs the producer an encoder of its own.
 */
export const integrationHeaders = {
  eventId: 'event-id',
  eventType: 'event-type',
  schemaVersion: 'schema-version',
  organizationId: 'organization-id',
  correlationId: 'correlation-id',
} as const;

export type MappingOptions = Readonly<{
  topics: IntegrationTopics;
  publishObservations: boolean;
  /**
   * The device of an alert key. Only the raise carries it; the reactor learns it from there or from
   * the alert stream's first event. Null when unknown.
   */
  deviceOfAlert: (alertKey: string) => string | null;
}>;

const envelopeOf = <const S extends string, const T extends string>(
  recorded: RecordedEvent,
  schema: S,
  eventType: T,
  occurredAt: string,
) => ({
  schema,
  eventId: recorded.id,
  eventType,
  organizationId: recorded.metadata.organizationId,
  occurredAt,
  recordedAt: recorded.recordedAt.toISOString(),
  correlationId: recorded.metadata.correlationId,
  causationId: recorded.metadata.causationId,
});

const messageOf = (
  topic: string,
  key: string,
  stream: IntegrationStream,
  value: IntegrationEvent,
): IntegrationMessage => ({
  topic,
  key,
  value,
  // The names of integrationHeaders, written out: a literal with fixed keys is built faster than one
  // with computed keys, per message (a test holds the two together).
  headers: {
    'event-id': value.eventId,
    'event-type': value.eventType,
    'schema-version': String(stream.version),
    'organization-id': value.organizationId,
    'correlation-id': value.correlationId,
  },
});

const inventoryFields = ['name', 'address', 'kind', 'location', 'tags', 'parentId'] as const;

const alertMessage = (topics: IntegrationTopics, value: AlertsV1) =>
  messageOf(topics.alerts, value.data.alertKey, integrationStreams.alerts, value);

/** Alert events after the raise name the alert by id; the key is the stream's, the device learned. */
const alertRef = (recorded: RecordedEvent, options: MappingOptions, alertId: string) => {
  const key = streamEntityId(recorded.streamId);
  return { alertId, alertKey: key, deviceId: options.deviceOfAlert(key) };
};

/**
 * One domain event as its integration event, or null when it has none (an update of probe settings
 * only, observations while they are off). Fields are copied one by one, never spread: a field the
 * domain adds must not reach integrators before the contract says so.
 */
export const toIntegrationMessage = (
  item: ParsedEvent<IntegratedEventType>,
  options: MappingOptions,
): IntegrationMessage | null => {
  const { recorded, event } = item;
  const { topics } = options;

  switch (event.type) {
    case 'DeviceStatusChanged': {
      const d = event.data;
      const value: DeviceStatusV1 = {
        ...envelopeOf(recorded, DEVICE_STATUS_V1, 'device.status-changed', d.changedAt),
        data: { deviceId: d.deviceId, from: d.from, to: d.to, reason: d.reason, changedAt: d.changedAt },
      };
      return messageOf(topics.deviceStatus, d.deviceId, integrationStreams.deviceStatus, value);
    }
    case 'AlertRaised': {
      const d = event.data;
      return alertMessage(topics, {
        ...envelopeOf(recorded, ALERTS_V1, 'alert.raised', d.raisedAt),
        data: {
          alertId: d.alertId,
          alertKey: d.alertKey,
          deviceId: d.deviceId,
          ruleId: d.ruleId,
          condition: d.condition,
          severity: d.severity,
          summary: d.summary,
          details: { ...d.details },
          raisedAt: d.raisedAt,
        },
      });
    }
    case 'AlertRepeated': {
      const d = event.data;
      return alertMessage(topics, {
        ...envelopeOf(recorded, ALERTS_V1, 'alert.repeated', d.repeatedAt),
        data: {
          ...alertRef(recorded, options, d.alertId),
          count: d.count,
          severity: d.severity,
          repeatedAt: d.repeatedAt,
        },
      });
    }
    case 'AlertAcknowledged': {
      const d = event.data;
      return alertMessage(topics, {
        ...envelopeOf(recorded, ALERTS_V1, 'alert.acknowledged', d.acknowledgedAt),
        data: {
          ...alertRef(recorded, options, d.alertId),
          by: { kind: d.by.kind, id: d.by.id },
          note: d.note,
          acknowledgedAt: d.acknowledgedAt,
        },
      });
    }
    case 'AlertUnacknowledged': {
      const d = event.data;
      return alertMessage(topics, {
        ...envelopeOf(recorded, ALERTS_V1, 'alert.unacknowledged', d.unacknowledgedAt),
        data: {
          ...alertRef(recorded, options, d.alertId),
          by: { kind: d.by.kind, id: d.by.id },
          note: d.note,
          unacknowledgedAt: d.unacknowledgedAt,
        },
      });
    }
    case 'AlertEscalated': {
      const d = event.data;
      return alertMessage(topics, {
        ...envelopeOf(recorded, ALERTS_V1, 'alert.escalated', d.escalatedAt),
        data: {
          ...alertRef(recorded, options, d.alertId),
          level: d.level,
          policyId: d.policyId,
          escalatedAt: d.escalatedAt,
        },
      });
    }
    case 'AlertSuppressed': {
      const d = event.data;
      return alertMessage(topics, {
        ...envelopeOf(recorded, ALERTS_V1, 'alert.suppressed', d.suppressedAt),
        data: {
          ...alertRef(recorded, options, d.alertId),
          reason: d.reason,
          detail: d.detail,
          suppressedAt: d.suppressedAt,
        },
      });
    }
    case 'AlertUnsuppressed': {
      const d = event.data;
      return alertMessage(topics, {
        ...envelopeOf(recorded, ALERTS_V1, 'alert.unsuppressed', d.unsuppressedAt),
        data: { ...alertRef(recorded, options, d.alertId), unsuppressedAt: d.unsuppressedAt },
      });
    }
    case 'AlertResolved': {
      const d = event.data;
      return alertMessage(topics, {
        ...envelopeOf(recorded, ALERTS_V1, 'alert.resolved', d.resolvedAt),
        data: {
          ...alertRef(recorded, options, d.alertId),
          by: { kind: d.by.kind, id: d.by.id },
          automatic: d.automatic,
          note: d.note,
          resolvedAt: d.resolvedAt,
        },
      });
    }
    case 'DeviceRegistered': {
      const d = event.data;
      const value: DevicesV1 = {
        ...envelopeOf(recorded, DEVICES_V1, 'device.registered', d.registeredAt),
        data: {
          deviceId: d.deviceId,
          name: d.name,
          address: d.address,
          kind: d.kind,
          location: d.location,
          tags: [...d.tags],
          parentId: d.parentId,
          registeredAt: d.registeredAt,
        },
      };
      return messageOf(topics.devices, d.deviceId, integrationStreams.devices, value);
    }
    case 'DeviceUpdated': {
      const d = event.data;
      const changes: Record<string, unknown> = {};
      for (const field of inventoryFields) {
        const changed = d.changes[field];
        if (changed !== undefined) changes[field] = Array.isArray(changed) ? [...changed] : changed;
      }
      if (Object.keys(changes).length === 0) return null;
      const value: DevicesV1 = {
        ...envelopeOf(recorded, DEVICES_V1, 'device.updated', d.updatedAt),
        data: { deviceId: d.deviceId, changes, updatedAt: d.updatedAt },
      };
      return messageOf(topics.devices, d.deviceId, integrationStreams.devices, value);
    }
    case 'DeviceDecommissioned': {
      const d = event.data;
      const value: DevicesV1 = {
        ...envelopeOf(recorded, DEVICES_V1, 'device.decommissioned', d.decommissionedAt),
        data: { deviceId: d.deviceId, reason: d.reason, decommissionedAt: d.decommissionedAt },
      };
      return messageOf(topics.devices, d.deviceId, integrationStreams.devices, value);
    }
    case 'DeviceObserved': {
      if (!options.publishObservations) return null;
      const d = event.data;
      const value: ObservationsV1 = {
        ...envelopeOf(recorded, OBSERVATIONS_V1, 'device.observed', d.observedAt),
        data: {
          deviceId: d.deviceId,
          pollerId: d.pollerId,
          probe: d.probe,
          scheduledAt: d.scheduledAt,
          observedAt: d.observedAt,
          durationMs: d.durationMs,
          reachable: d.reachable,
          error: d.error,
          icmp: d.icmp,
          tcp: d.tcp,
          snmp: d.snmp,
        },
      };
      return messageOf(topics.observations, d.deviceId, integrationStreams.observations, value);
    }
  }
};

/**
 * A batch of recorded events as integration messages, in the batch's order (so per key in stream
 * order). Events that fail their domain schema are returned apart: they cannot be published, and one
 * of them must not hold up the rest.
 */
export const toIntegrationMessages = (
  events: readonly RecordedEvent[],
  options: MappingOptions,
): Readonly<{ messages: IntegrationMessage[]; malformed: RecordedEvent[] }> => {
  const { parsed, malformed } = parseEvents(events, integratedEventTypes(options.publishObservations));
  const messages: IntegrationMessage[] = [];
  for (const item of parsed) {
    const message = toIntegrationMessage(item, options);
    if (message) messages.push(message);
  }
  return { messages, malformed };
};
