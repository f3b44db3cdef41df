import type { Decider } from '../event-store/decider.js';
import { timestampOf } from '../shared/command-schema.js';
import { changedFields, isEmptyObject } from '../shared/diff.js';
import { illegalState, notFound, validationFailed } from '../shared/errors.js';
import { assertSameOrganization, organizationOf } from '../shared/tenancy.js';
import type {
  CancelMaintenance,
  ChangeDeviceStatus,
  DeviceCommand,
  RegisterDevice,
  ScheduleMaintenance,
  UpdateDevice,
} from './commands.js';
import type { DeviceEvent } from './events.js';
import { type ActiveDevice, type DeviceState, initialDeviceState } from './state.js';

const assertNotOwnParent = (deviceId: string, parentId: string | null | undefined): void => {
  if (parentId === deviceId) {
    throw validationFailed('a device cannot be its own parent', { deviceId, field: 'parentId' });
  }
};

/** The device a non-registration command may act on; rejects in the order NOT_FOUND, FORBIDDEN, ILLEGAL_STATE. */
const requireActive = (state: DeviceState, command: DeviceCommand): ActiveDevice => {
  const { deviceId } = command.data;
  if (state.status === 'unregistered') throw notFound(`device ${deviceId} is not registered`, { deviceId });
  assertSameOrganization(state.organizationId, command.metadata, `device ${deviceId}`);
  if (state.status === 'decommissioned') {
    throw illegalState(`device ${deviceId} is decommissioned`, { deviceId });
  }
  return state;
};

const register = (command: RegisterDevice, state: DeviceState): readonly DeviceEvent[] => {
  const { data } = command;
  assertNotOwnParent(data.deviceId, data.parentId);
  if (state.status !== 'unregistered') {
    assertSameOrganization(state.organizationId, command.metadata, `device ${data.deviceId}`);
    throw illegalState(
      `device ${data.deviceId} is already ${state.status === 'active' ? 'registered' : 'decommissioned'}`,
      {
        deviceId: data.deviceId,
      },
    );
  }
  const { deviceId, name, address, kind, location, tags, parentId, probes } = data;
  return [
    {
      type: 'DeviceRegistered',
      data: {
        deviceId,
        name,
        address,
        kind,
        location,
        tags,
        parentId,
        probes,
        registeredAt: timestampOf(command),
      },
    },
  ];
};

const update = (command: UpdateDevice, device: ActiveDevice): readonly DeviceEvent[] => {
  const { deviceId, changes } = command.data;
  assertNotOwnParent(deviceId, changes.parentId);
  const diff = changedFields(device.profile, changes);
  if (isEmptyObject(diff)) return [];
  return [{ type: 'DeviceUpdated', data: { deviceId, changes: diff, updatedAt: timestampOf(command) } }];
};

const changeStatus = (command: ChangeDeviceStatus, device: ActiveDevice): readonly DeviceEvent[] => {
  const { deviceId, to, reason } = command.data;
  if (to === device.health) return [];
  return [
    {
      type: 'DeviceStatusChanged',
      data: { deviceId, from: device.health, to, reason, changedAt: timestampOf(command) },
    },
  ];
};

const scheduleMaintenance = (command: ScheduleMaintenance, device: ActiveDevice): readonly DeviceEvent[] => {
  const { deviceId, windowId, reason } = command.data;
  const startsAt = new Date(command.data.startsAt);
  const endsAt = new Date(command.data.endsAt);
  if (endsAt <= startsAt) {
    throw validationFailed('a maintenance window must end after it starts', { windowId, field: 'endsAt' });
  }
  if (endsAt <= command.metadata.now) {
    throw validationFailed('a maintenance window must not be over already', { windowId, field: 'endsAt' });
  }
  if (device.maintenance.some((window) => window.windowId === windowId)) {
    throw illegalState(`maintenance window ${windowId} already exists`, { deviceId, windowId });
  }
  return [
    {
      type: 'DeviceMaintenanceScheduled',
      data: {
        deviceId,
        windowId,
        // UTC, so readers can compare window bounds as strings.
        startsAt: startsAt.toISOString(),
        endsAt: endsAt.toISOString(),
        reason,
        scheduledAt: timestampOf(command),
      },
    },
  ];
};

const cancelMaintenance = (command: CancelMaintenance, device: ActiveDevice): readonly DeviceEvent[] => {
  const { deviceId, windowId } = command.data;
  if (!device.maintenance.some((window) => window.windowId === windowId)) {
    throw notFound(`maintenance window ${windowId} does not exist`, { deviceId, windowId });
  }
  return [
    { type: 'DeviceMaintenanceCancelled', data: { deviceId, windowId, cancelledAt: timestampOf(command) } },
  ];
};

export const decideDevice = (command: DeviceCommand, state: DeviceState): readonly DeviceEvent[] => {
  if (command.type === 'RegisterDevice') return register(command, state);
  const device = requireActive(state, command);
  const { deviceId } = command.data;
  const at = timestampOf(command);
  switch (command.type) {
    case 'UpdateDevice':
      return update(command, device);
    case 'ChangeDeviceStatus':
      return changeStatus(command, device);
    case 'ScheduleMaintenance':
      return scheduleMaintenance(command, device);
    case 'CancelMaintenance':
      return cancelMaintenance(command, device);
    case 'PauseMonitoring':
      if (device.monitoring === 'paused') throw illegalState(`monitoring of ${deviceId} is already paused`);
      return [
        { type: 'DeviceMonitoringPaused', data: { deviceId, reason: command.data.reason, pausedAt: at } },
      ];
    case 'ResumeMonitoring':
      if (device.monitoring === 'active') throw illegalState(`monitoring of ${deviceId} is not paused`);
      return [{ type: 'DeviceMonitoringResumed', data: { deviceId, resumedAt: at } }];
    case 'DecommissionDevice':
      return [
        {
          type: 'DeviceDecommissioned',
          data: { deviceId, reason: command.data.reason, decommissionedAt: at },
        },
      ];
  }
};

export const evolveDevice = (state: DeviceState, event: DeviceEvent): DeviceState => {
  if (event.type === 'DeviceRegistered') {
    const { deviceId, registeredAt, ...profile } = event.data;
    return {
      status: 'active',
      deviceId,
      organizationId: organizationOf(event),
      profile,
      registeredAt,
      health: 'unknown',
      statusChangedAt: null,
      monitoring: 'active',
      maintenance: [],
    };
  }
  if (state.status !== 'active') return state;
  switch (event.type) {
    case 'DeviceUpdated':
      return { ...state, profile: { ...state.profile, ...event.data.changes } };
    case 'DeviceStatusChanged':
      return { ...state, health: event.data.to, statusChangedAt: event.data.changedAt };
    case 'DeviceMaintenanceScheduled': {
      const { windowId, startsAt, endsAt, reason } = event.data;
      return { ...state, maintenance: [...state.maintenance, { windowId, startsAt, endsAt, reason }] };
    }
    case 'DeviceMaintenanceCancelled':
      return {
        ...state,
        maintenance: state.maintenance.filter((window) => window.windowId !== event.data.windowId),
      };
    case 'DeviceMonitoringPaused':
      return { ...state, monitoring: 'paused' };
    case 'DeviceMonitoringResumed':
      return { ...state, monitoring: 'active' };
    case 'DeviceDecommissioned': {
      const { deviceId, organizationId, profile, registeredAt } = state;
      return {
        status: 'decommissioned',
        deviceId,
        organizationId,
        profile,
        registeredAt,
        decommissionedAt: event.data.decommissionedAt,
        reason: event.data.reason,
      };
    }
  }
};

export const deviceDecider: Decider<DeviceState, DeviceCommand, DeviceEvent> = {
  decide: decideDevice,
  evolve: evolveDevice,
  initialState: initialDeviceState,
};
