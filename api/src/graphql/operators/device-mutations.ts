import { streamCategories, streamId } from '@netpulse/domain';
import { type ApiContext, authorize } from '../context.js';
import {
  type DeviceChangesInput,
  type RegisterDeviceInput,
  registerDeviceCommand,
  type ScheduleMaintenanceInput,
  scheduleMaintenanceCommand,
  updateDeviceCommand,
} from './device-inputs.js';
import { type CommandBody, type StreamGuard, sendCommand } from './send-command.js';

type Versioned = Readonly<{ expectedVersion?: bigint | null }>;

const guardOf = (deviceId: string, expect: StreamGuard['expect'] = 'existing'): StreamGuard => ({
  streamId: streamId(streamCategories.device, deviceId),
  what: `device ${deviceId}`,
  expect,
});

const onDevice = (
  context: ApiContext,
  deviceId: string,
  command: CommandBody,
  expectedVersion: bigint | null | undefined,
) =>
  sendCommand(context, authorize(context, 'device:write'), command, {
    expectedVersion,
    guard: guardOf(deviceId),
  });

export const deviceMutations = {
  registerDevice: (_root: unknown, { input }: { input: RegisterDeviceInput }, context: ApiContext) => {
    const principal = authorize(context, 'device:write');
    const deviceId = input.deviceId ?? context.ports.newId();
    return sendCommand(context, principal, registerDeviceCommand(input, deviceId), {
      guard: guardOf(deviceId, 'new'),
    });
  },

  updateDevice: (
    _root: unknown,
    args: Versioned & { deviceId: string; changes: DeviceChangesInput },
    context: ApiContext,
  ) =>
    onDevice(context, args.deviceId, updateDeviceCommand(args.deviceId, args.changes), args.expectedVersion),

  decommissionDevice: (
    _root: unknown,
    args: Versioned & { deviceId: string; reason: string },
    context: ApiContext,
  ) =>
    onDevice(
      context,
      args.deviceId,
      { type: 'DecommissionDevice', data: { deviceId: args.deviceId, reason: args.reason } },
      args.expectedVersion,
    ),

  pauseMonitoring: (
    _root: unknown,
    args: Versioned & { deviceId: string; reason: string },
    context: ApiContext,
  ) =>
    onDevice(
      context,
      args.deviceId,
      { type: 'PauseMonitoring', data: { deviceId: args.deviceId, reason: args.reason } },
      args.expectedVersion,
    ),

  resumeMonitoring: (_root: unknown, args: Versioned & { deviceId: string }, context: ApiContext) =>
    onDevice(
      context,
      args.deviceId,
      { type: 'ResumeMonitoring', data: { deviceId: args.deviceId } },
      args.expectedVersion,
    ),

  scheduleMaintenance: (
    _root: unknown,
    args: Versioned & { input: ScheduleMaintenanceInput },
    context: ApiContext,
  ) => {
    const principal = authorize(context, 'device:write');
    const windowId = args.input.windowId ?? context.ports.newId();
    return sendCommand(context, principal, scheduleMaintenanceCommand(args.input, windowId), {
      expectedVersion: args.expectedVersion,
      guard: guardOf(args.input.deviceId),
    });
  },

  cancelMaintenance: (
    _root: unknown,
    args: Versioned & { deviceId: string; windowId: string },
    context: ApiContext,
  ) =>
    onDevice(
      context,
      args.deviceId,
      { type: 'CancelMaintenance', data: { deviceId: args.deviceId, windowId: args.windowId } },
      args.expectedVersion,
    ),
};
