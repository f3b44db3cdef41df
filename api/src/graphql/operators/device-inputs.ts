import type { CommandBody } from './send-command.js';

/** Arguments as GraphQL hands them over: absent keys are missing, explicit nulls are null. */
export type RegisterDeviceInput = Readonly<{
  deviceId?: string | null;
  name: string;
  address: string;
  kind: string;
  location?: string | null;
  tags?: readonly string[] | null;
  parentId?: string | null;
  probes?: unknown;
}>;

export type DeviceChangesInput = Readonly<{
  name?: string | null;
  address?: string | null;
  kind?: string | null;
  location?: string | null;
  tags?: readonly string[] | null;
  parentId?: string | null;
  probes?: unknown;
}>;

export type ScheduleMaintenanceInput = Readonly<{
  deviceId: string;
  windowId?: string | null;
  startsAt: Date;
  endsAt: Date;
  reason: string;
}>;

/** Drops absent keys so the command's own defaults apply; nulls stay, for the schema to judge. */
export const presentOnly = <T extends object>(input: T): Partial<T> =>
  Object.fromEntries(Object.entries(input).filter(([, value]) => value !== undefined)) as Partial<T>;

/** A null where the command has a default means "use the default", not "store null". */
const nullAsAbsent = <T>(value: T | null | undefined): T | undefined => value ?? undefined;

export const registerDeviceCommand = (input: RegisterDeviceInput, deviceId: string): CommandBody => ({
  type: 'RegisterDevice',
  data: presentOnly({
    deviceId,
    name: input.name,
    address: input.address,
    kind: input.kind,
    location: input.location,
    tags: nullAsAbsent(input.tags),
    parentId: input.parentId,
    probes: nullAsAbsent(input.probes),
  }),
});

export const updateDeviceCommand = (deviceId: string, changes: DeviceChangesInput): CommandBody => ({
  type: 'UpdateDevice',
  // Clearing the tags is asking for none.
  data: { deviceId, changes: presentOnly({ ...changes, tags: changes.tags === null ? [] : changes.tags }) },
});

export const scheduleMaintenanceCommand = (
  input: ScheduleMaintenanceInput,
  windowId: string,
): CommandBody => ({
  type: 'ScheduleMaintenance',
  data: {
    deviceId: input.deviceId,
    windowId,
    startsAt: input.startsAt.toISOString(),
    endsAt: input.endsAt.toISOString(),
    reason: input.reason,
  },
});
