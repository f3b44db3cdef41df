import { z } from 'zod';
import type { CommandOf } from '../shared/command-schema.js';
import { TagSet } from '../shared/normalize.js';
import { Id, Timestamp } from '../shared/primitives.js';
import { DeviceProfile, HealthStatus } from './events.js';
import { ProbeSettings } from './probe-settings.js';

const Reason = z.string().max(500);

/** Registration input: only name, address and kind are required; probes take their defaults. */
export const RegisterDevice = z.object({
  type: z.literal('RegisterDevice'),
  data: DeviceProfile.extend({
    deviceId: Id,
    location: DeviceProfile.shape.location.default(null),
    tags: TagSet.default([]),
    parentId: Id.nullable().default(null),
    probes: ProbeSettings.prefault({}),
  }),
});

/** `changes.probes`, when given, replaces the whole probe settings (missing parts take defaults). */
export const UpdateDevice = z.object({
  type: z.literal('UpdateDevice'),
  data: z.object({ deviceId: Id, changes: DeviceProfile.partial().extend({ tags: TagSet.optional() }) }),
});

export const ChangeDeviceStatus = z.object({
  type: z.literal('ChangeDeviceStatus'),
  data: z.object({ deviceId: Id, to: HealthStatus, reason: Reason }),
});

export const ScheduleMaintenance = z.object({
  type: z.literal('ScheduleMaintenance'),
  data: z.object({ deviceId: Id, windowId: Id, startsAt: Timestamp, endsAt: Timestamp, reason: Reason }),
});

export const CancelMaintenance = z.object({
  type: z.literal('CancelMaintenance'),
  data: z.object({ deviceId: Id, windowId: Id }),
});

export const PauseMonitoring = z.object({
  type: z.literal('PauseMonitoring'),
  data: z.object({ deviceId: Id, reason: Reason }),
});

export const ResumeMonitoring = z.object({
  type: z.literal('ResumeMonitoring'),
  data: z.object({ deviceId: Id }),
});

export const DecommissionDevice = z.object({
  type: z.literal('DecommissionDevice'),
  data: z.object({ deviceId: Id, reason: Reason }),
});

/** Parses a command's `{ type, data }`; the handler adds the metadata. */
export const DeviceCommand = z.discriminatedUnion('type', [
  RegisterDevice,
  UpdateDevice,
  ChangeDeviceStatus,
  ScheduleMaintenance,
  CancelMaintenance,
  PauseMonitoring,
  ResumeMonitoring,
  DecommissionDevice,
]);

export type RegisterDevice = CommandOf<typeof RegisterDevice>;
export type UpdateDevice = CommandOf<typeof UpdateDevice>;
export type ChangeDeviceStatus = CommandOf<typeof ChangeDeviceStatus>;
export type ScheduleMaintenance = CommandOf<typeof ScheduleMaintenance>;
export type CancelMaintenance = CommandOf<typeof CancelMaintenance>;
export type PauseMonitoring = CommandOf<typeof PauseMonitoring>;
export type ResumeMonitoring = CommandOf<typeof ResumeMonitoring>;
export type DecommissionDevice = CommandOf<typeof DecommissionDevice>;
export type DeviceCommand =
  | RegisterDevice
  | UpdateDevice
  | ChangeDeviceStatus
  | ScheduleMaintenance
  | CancelMaintenance
  | PauseMonitoring
  | ResumeMonitoring
  | DecommissionDevice;
