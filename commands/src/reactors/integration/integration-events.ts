import {
  Actor,
  DeviceKind,
  HealthStatus,
  IcmpResult,
  Id,
  ProbeError,
  ProbeKind,
  Severity,
  SnmpResult,
  SuppressionReason,
  TcpResult,
  Timestamp,
} from '@netpulse/domain';
import { z } from 'zod';

/**
 * The integration events NetPulse publishes for bulk consumers (Kafka). They are a public contract,
 * versioned apart from the domain events: a consumer of `netpulse.alerts.v1` keeps working whatever
 * the domain does inside, and a breaking change becomes `.v2` on a new topic. Field types reuse the
 * domain's primitives, so a domain change that would alter this contract shows up as a stale
 * `docs/integration-events/*.schema.json` in the tests before it ships.
 */

/** Every message of every topic starts with these fields. */
const envelope = <const S extends string, const T extends string, D extends z.ZodType>(
  schema: S,
  eventType: T,
  data: D,
  description: string,
) =>
  z
    .object({
      /** The schema (and so topic family) this message belongs to, version included. */
      schema: z.literal(schema),
      /** Stable across re-deliveries: consumers deduplicate on it. */
      eventId: z.string().min(1).max(128),
      eventType: z.literal(eventType),
      organizationId: Id,
      /** When it happened (the domain's own time). */
      occurredAt: Timestamp,
      /** When the event store recorded it. */
      recordedAt: Timestamp,
      correlationId: Id,
      causationId: Id,
      data,
    })
    .meta({ title: eventType, description });

export const DEVICE_STATUS_V1 = 'netpulse.device-status.v1';
export const ALERTS_V1 = 'netpulse.alerts.v1';
export const DEVICES_V1 = 'netpulse.devices.v1';
export const OBSERVATIONS_V1 = 'netpulse.observations.v1';

export const DeviceStatusChangedV1 = envelope(
  DEVICE_STATUS_V1,
  'device.status-changed',
  z.object({
    deviceId: Id,
    from: HealthStatus,
    to: HealthStatus,
    reason: z.string().max(500),
    changedAt: Timestamp,
  }),
  'A device changed health status (up, degraded, down, unreachable).',
);
export const DeviceStatusV1 = z
  .discriminatedUnion('eventType', [DeviceStatusChangedV1])
  .meta({ title: DEVICE_STATUS_V1, description: 'Health status changes of devices.' });

/** What every alert message carries, whatever happened to the alert. */
const alertRef = {
  /** The alert instance: a recurrence after resolution is a new instance. */
  alertId: Id,
  /** The reduction key (device + condition or rule): the same for every instance; the message key. */
  alertKey: Id,
  /** Null only when the alert's history could not be read (never for `alert.raised`). */
  deviceId: Id.nullable(),
};
const Note = z.string().max(2000).nullable();

export const AlertRaisedV1 = envelope(
  ALERTS_V1,
  'alert.raised',
  z.object({
    ...alertRef,
    ruleId: Id.nullable(),
    condition: z.string().min(1).max(200),
    severity: Severity,
    summary: z.string().max(500),
    details: z.record(z.string().max(64), z.union([z.string().max(1000), z.number(), z.boolean()])),
    raisedAt: Timestamp,
  }),
  'A new alert instance was opened.',
);
export const AlertRepeatedV1 = envelope(
  ALERTS_V1,
  'alert.repeated',
  z.object({ ...alertRef, count: z.number().int().min(2), severity: Severity, repeatedAt: Timestamp }),
  'The open alert occurred again; `count` is how often in total.',
);
export const AlertAcknowledgedV1 = envelope(
  ALERTS_V1,
  'alert.acknowledged',
  z.object({ ...alertRef, by: Actor, note: Note, acknowledgedAt: Timestamp }),
  'Someone took ownership of the alert.',
);
export const AlertUnacknowledgedV1 = envelope(
  ALERTS_V1,
  'alert.unacknowledged',
  z.object({ ...alertRef, by: Actor, note: Note, unacknowledgedAt: Timestamp }),
  'An acknowledgement was withdrawn.',
);
export const AlertEscalatedV1 = envelope(
  ALERTS_V1,
  'alert.escalated',
  z.object({ ...alertRef, level: z.number().int().min(1), policyId: Id.nullable(), escalatedAt: Timestamp }),
  'The alert stayed unacknowledged and moved up an escalation level.',
);
export const AlertSuppressedV1 = envelope(
  ALERTS_V1,
  'alert.suppressed',
  z.object({ ...alertRef, reason: SuppressionReason, detail: z.string().max(500), suppressedAt: Timestamp }),
  'Notifications of the alert are suppressed (maintenance, a down parent, by hand).',
);
export const AlertUnsuppressedV1 = envelope(
  ALERTS_V1,
  'alert.unsuppressed',
  z.object({ ...alertRef, unsuppressedAt: Timestamp }),
  'A suppression ended.',
);
export const AlertResolvedV1 = envelope(
  ALERTS_V1,
  'alert.resolved',
  z.object({ ...alertRef, by: Actor, automatic: z.boolean(), note: Note, resolvedAt: Timestamp }),
  'The alert instance was closed, by someone or automatically when the condition cleared.',
);
export const AlertsV1 = z
  .discriminatedUnion('eventType', [
    AlertRaisedV1,
    AlertRepeatedV1,
    AlertAcknowledgedV1,
    AlertUnacknowledgedV1,
    AlertEscalatedV1,
    AlertSuppressedV1,
    AlertUnsuppressedV1,
    AlertResolvedV1,
  ])
  .meta({ title: ALERTS_V1, description: 'The lifecycle of alerts.' });

/**
 * What an integrator may know of a device. Probe settings stay inside: they name credential
 * references and are polling detail, not inventory.
 */
const DeviceInventory = z.object({
  name: z.string().max(200),
  address: z.string().max(253),
  kind: DeviceKind,
  location: z.string().max(200).nullable(),
  tags: z.array(z.string().max(64)).max(64),
  parentId: Id.nullable(),
});

export const DeviceRegisteredV1 = envelope(
  DEVICES_V1,
  'device.registered',
  DeviceInventory.extend({ deviceId: Id, registeredAt: Timestamp }),
  'A device joined the inventory.',
);
export const DeviceUpdatedV1 = envelope(
  DEVICES_V1,
  'device.updated',
  z.object({ deviceId: Id, changes: DeviceInventory.partial(), updatedAt: Timestamp }),
  'Inventory fields of a device changed; `changes` holds only those, with their new values.',
);
export const DeviceDecommissionedV1 = envelope(
  DEVICES_V1,
  'device.decommissioned',
  z.object({ deviceId: Id, reason: z.string().max(500), decommissionedAt: Timestamp }),
  'A device left the inventory; nothing more is published for it.',
);
export const DevicesV1 = z
  .discriminatedUnion('eventType', [DeviceRegisteredV1, DeviceUpdatedV1, DeviceDecommissionedV1])
  .meta({ title: DEVICES_V1, description: 'The device inventory.' });

export const DeviceObservedV1 = envelope(
  OBSERVATIONS_V1,
  'device.observed',
  z.object({
    deviceId: Id,
    pollerId: Id,
    probe: ProbeKind,
    scheduledAt: Timestamp,
    observedAt: Timestamp,
    durationMs: z.number().nonnegative(),
    reachable: z.boolean(),
    error: ProbeError.nullable(),
    icmp: IcmpResult.nullable(),
    tcp: TcpResult.nullable(),
    snmp: SnmpResult.nullable(),
  }),
  'One probe result (ICMP, TCP or SNMP) of one device.',
);
export const ObservationsV1 = z.discriminatedUnion('eventType', [DeviceObservedV1]).meta({
  title: OBSERVATIONS_V1,
  description: 'Raw probe results; high volume, published only when enabled.',
});

export type DeviceStatusV1 = z.output<typeof DeviceStatusV1>;
export type AlertsV1 = z.output<typeof AlertsV1>;
export type DevicesV1 = z.output<typeof DevicesV1>;
export type ObservationsV1 = z.output<typeof ObservationsV1>;
export type IntegrationEvent = DeviceStatusV1 | AlertsV1 | DevicesV1 | ObservationsV1;
