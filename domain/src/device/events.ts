import { z } from 'zod';
import { Address, Id, Tag, Timestamp } from '../shared/primitives.js';
import { ProbeSettings } from './probe-settings.js';

export const deviceKinds = [
  'router',
  'switch',
  'firewall',
  'server',
  'access-point',
  'load-balancer',
  'other',
] as const;
export const DeviceKind = z.enum(deviceKinds);
export type DeviceKind = z.infer<typeof DeviceKind>;

export const healthStatuses = ['unknown', 'up', 'degraded', 'down', 'unreachable'] as const;
export const HealthStatus = z.enum(healthStatuses);
export type HealthStatus = z.infer<typeof HealthStatus>;

/** The editable description of a device, shared by registration and updates. */
export const DeviceProfile = z.object({
  name: z.string().trim().min(1).max(200),
  address: Address,
  kind: DeviceKind,
  location: z.string().trim().max(200).nullable(),
  tags: z.array(Tag).max(64),
  parentId: Id.nullable(),
  probes: ProbeSettings,
});
export type DeviceProfile = z.infer<typeof DeviceProfile>;

export const DeviceRegistered = z.object({
  type: z.literal('DeviceRegistered'),
  data: DeviceProfile.extend({ deviceId: Id, registeredAt: Timestamp }),
});
export const DeviceUpdated = z.object({
  type: z.literal('DeviceUpdated'),
  /** Only the fields that changed, with their new values. */
  data: z.object({ deviceId: Id, changes: DeviceProfile.partial(), updatedAt: Timestamp }),
});
export const DeviceStatusChanged = z.object({
  type: z.literal('DeviceStatusChanged'),
  data: z.object({
    deviceId: Id,
    from: HealthStatus,
    to: HealthStatus,
    reason: z.string().max(500),
    changedAt: Timestamp,
  }),
});
export const DeviceMaintenanceScheduled = z.object({
  type: z.literal('DeviceMaintenanceScheduled'),
  data: z.object({
    deviceId: Id,
    windowId: Id,
    startsAt: Timestamp,
    endsAt: Timestamp,
    reason: z.string().max(500),
    scheduledAt: Timestamp,
  }),
});
export const DeviceMaintenanceCancelled = z.object({
  type: z.literal('DeviceMaintenanceCancelled'),
  data: z.object({ deviceId: Id, windowId: Id, cancelledAt: Timestamp }),
});
export const DeviceMonitoringPaused = z.object({
  type: z.literal('DeviceMonitoringPaused'),
  data: z.object({ deviceId: Id, reason: z.string().max(500), pausedAt: Timestamp }),
});
export const DeviceMonitoringResumed = z.object({
  type: z.literal('DeviceMonitoringResumed'),
  data: z.object({ deviceId: Id, resumedAt: Timestamp }),
});
export const DeviceDecommissioned = z.object({
  type: z.literal('DeviceDecommissioned'),
  data: z.object({ deviceId: Id, reason: z.string().max(500), decommissionedAt: Timestamp }),
});

export const DeviceEvent = z.discriminatedUnion('type', [
  DeviceRegistered,
  DeviceUpdated,
  DeviceStatusChanged,
  DeviceMaintenanceScheduled,
  DeviceMaintenanceCancelled,
  DeviceMonitoringPaused,
  DeviceMonitoringResumed,
  DeviceDecommissioned,
]);
export type DeviceEvent = z.infer<typeof DeviceEvent>;
