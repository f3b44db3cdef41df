import { describe, expect, it } from 'vitest';
import { foldEvents } from '../event-store/decider.js';
import { expectDomainError, metadata, NOW, spec } from '../testing/decider-spec.js';
import { type DeviceCommand, RegisterDevice, UpdateDevice } from './commands.js';
import { deviceDecider } from './decider.js';
import { DeviceEvent } from './events.js';
import { ProbeSettings } from './probe-settings.js';
import { isInMaintenance, isMonitored, maintenanceWindowAt } from './state.js';

const device = spec(deviceDecider, DeviceEvent);
const deviceId = 'dev-1';
const at = NOW.toISOString();
const probes = ProbeSettings.parse({});
const profile = {
  name: 'core-1',
  address: '10.0.0.1',
  kind: 'router' as const,
  location: null,
  tags: ['core'],
  parentId: null,
  probes,
};
const registered: DeviceEvent = {
  type: 'DeviceRegistered',
  data: { deviceId, ...profile, registeredAt: '2025-05-01T00:00:00.000Z' },
};
const decommissioned: DeviceEvent = {
  type: 'DeviceDecommissioned',
  data: { deviceId, reason: 'retired', decommissionedAt: '2025-05-02T00:00:00.000Z' },
};
const window1: DeviceEvent = {
  type: 'DeviceMaintenanceScheduled',
  data: {
    deviceId,
    windowId: 'mw-1',
    startsAt: '2025-06-01T13:00:00.000Z',
    endsAt: '2025-06-01T14:00:00.000Z',
    reason: 'firmware',
    scheduledAt: '2025-05-03T00:00:00.000Z',
  },
};
const paused: DeviceEvent = {
  type: 'DeviceMonitoringPaused',
  data: { deviceId, reason: 'rack move', pausedAt: '2025-05-04T00:00:00.000Z' },
};

const register = (data: Partial<RegisterDevice['data']> = {}): DeviceCommand => ({
  type: 'RegisterDevice',
  data: { deviceId, ...profile, ...data },
  metadata: metadata(),
});

/** One valid command of every kind but registration, for the rules that apply to all of them. */
const everyOtherCommand: readonly DeviceCommand[] = [
  { type: 'UpdateDevice', data: { deviceId, changes: { name: 'core-2' } }, metadata: metadata() },
  { type: 'ChangeDeviceStatus', data: { deviceId, to: 'down', reason: 'no reply' }, metadata: metadata() },
  {
    type: 'ScheduleMaintenance',
    data: { deviceId, windowId: 'mw-9', startsAt: at, endsAt: '2025-06-01T15:00:00Z', reason: 'x' },
    metadata: metadata(),
  },
  { type: 'CancelMaintenance', data: { deviceId, windowId: 'mw-1' }, metadata: metadata() },
  { type: 'PauseMonitoring', data: { deviceId, reason: 'x' }, metadata: metadata() },
  { type: 'ResumeMonitoring', data: { deviceId }, metadata: metadata() },
  { type: 'DecommissionDevice', data: { deviceId, reason: 'x' }, metadata: metadata() },
];

describe('RegisterDevice', () => {
  it('registers an unregistered device', () => {
    device
      .given([])
      .when(register())
      .thenEvents([{ type: 'DeviceRegistered', data: { deviceId, ...profile, registeredAt: at } }]);
  });

  it('fills probe defaults and normalises tags from partial input', () => {
    const body = RegisterDevice.parse({
      type: 'RegisterDevice',
      data: {
        deviceId,
        name: 'edge',
        address: 'edge.example.net',
        kind: 'switch',
        tags: ['b', 'a', 'b'],
        probes: { icmp: { packets: 5 } },
      },
    });
    expect(body.data).toStrictEqual({
      deviceId,
      name: 'edge',
      address: 'edge.example.net',
      kind: 'switch',
      location: null,
      tags: ['a', 'b'],
      parentId: null,
      probes: {
        icmp: { enabled: true, intervalSeconds: 30, packets: 5, timeoutMs: 2_000 },
        snmp: null,
        tcp: null,
      },
    });
  });

  it('rejects a device that is already registered', () => {
    device.given([registered]).when(register()).thenThrows('ILLEGAL_STATE');
  });

  it('rejects a device that was decommissioned', () => {
    device.given([registered, decommissioned]).when(register()).thenThrows('ILLEGAL_STATE');
  });

  it('rejects a device that is its own parent', () => {
    device
      .given([])
      .when(register({ parentId: deviceId }))
      .thenThrows('VALIDATION_FAILED');
  });

  it('rejects re-registering another organization’s device as forbidden', () => {
    device.given([registered], { organizationId: 'org-2' }).when(register()).thenThrows('FORBIDDEN');
  });
});

describe('rules for every other command', () => {
  it.each(
    everyOtherCommand.map((command) => [command.type, command] as const),
  )('%s on an unregistered device is NOT_FOUND', (_, command) => {
    device.given([]).when(command).thenThrows('NOT_FOUND');
  });

  it.each(
    everyOtherCommand.map((command) => [command.type, command] as const),
  )('%s on a decommissioned device is ILLEGAL_STATE', (_, command) => {
    device.given([registered, window1, decommissioned]).when(command).thenThrows('ILLEGAL_STATE');
  });

  it.each(
    everyOtherCommand.map((command) => [command.type, command] as const),
  )('%s from another organization is FORBIDDEN', (_, command) => {
    device.given([registered, window1], { organizationId: 'org-2' }).when(command).thenThrows('FORBIDDEN');
  });

  it('forbids everything on state folded from events without organization metadata', () => {
    const state = foldEvents(deviceDecider, [registered]);
    expectDomainError(() => deviceDecider.decide(everyOtherCommand[0]!, state), 'FORBIDDEN');
  });
});

describe('UpdateDevice', () => {
  const update = (changes: UpdateDevice['data']['changes']): DeviceCommand => ({
    type: 'UpdateDevice',
    data: { deviceId, changes },
    metadata: metadata(),
  });

  it('records only the fields whose value changes', () => {
    device
      .given([registered])
      .when(update({ name: 'core-2', kind: 'router', tags: ['core', 'dc1'] }))
      .thenEvents([
        {
          type: 'DeviceUpdated',
          data: { deviceId, changes: { name: 'core-2', tags: ['core', 'dc1'] }, updatedAt: at },
        },
      ]);
  });

  it('replaces the probe settings', () => {
    const tcp = { ports: [22], intervalSeconds: 30, timeoutMs: 3_000 };
    device
      .given([registered])
      .when(update({ probes: { ...probes, tcp } }))
      .thenEvents([
        { type: 'DeviceUpdated', data: { deviceId, changes: { probes: { ...probes, tcp } }, updatedAt: at } },
      ]);
  });

  it('records nothing when nothing changes', () => {
    device
      .given([registered])
      .when(update({ name: 'core-1', probes: ProbeSettings.parse({}) }))
      .thenNothing();
  });

  it('treats tags as a set: reordering them is no change', () => {
    const body = UpdateDevice.parse({
      type: 'UpdateDevice',
      data: { deviceId, changes: { tags: ['core', 'core'] } },
    });
    device
      .given([registered])
      .when({ ...body, metadata: metadata() })
      .thenNothing();
  });

  it('sees earlier updates', () => {
    const renamed: DeviceEvent = {
      type: 'DeviceUpdated',
      data: { deviceId, changes: { name: 'core-2' }, updatedAt: at },
    };
    device
      .given([registered, renamed])
      .when(update({ name: 'core-2' }))
      .thenNothing();
  });

  it('rejects making a device its own parent', () => {
    device
      .given([registered])
      .when(update({ parentId: deviceId }))
      .thenThrows('VALIDATION_FAILED');
  });
});

describe('ChangeDeviceStatus', () => {
  const change = (to: 'up' | 'down'): DeviceCommand => ({
    type: 'ChangeDeviceStatus',
    data: { deviceId, to, reason: 'probe' },
    metadata: metadata(),
  });
  const up: DeviceEvent = {
    type: 'DeviceStatusChanged',
    data: { deviceId, from: 'unknown', to: 'up', reason: 'probe', changedAt: at },
  };

  it('changes from the current health, unknown at first', () => {
    device.given([registered]).when(change('up')).thenEvents([up]);
  });

  it('changes from the last recorded health', () => {
    device
      .given([registered, up])
      .when(change('down'))
      .thenEvents([
        {
          type: 'DeviceStatusChanged',
          data: { deviceId, from: 'up', to: 'down', reason: 'probe', changedAt: at },
        },
      ]);
  });

  it('records nothing when the status is unchanged', () => {
    device.given([registered, up]).when(change('up')).thenNothing();
  });

  it('remembers when the status last changed', () => {
    const state = device.given([registered]).state();
    expect(state.status === 'active' && state.statusChangedAt).toBe(null);
    const changed = device.given([registered, up]).state();
    expect(changed.status === 'active' && changed.statusChangedAt).toBe(at);
  });
});

describe('maintenance', () => {
  const schedule = (windowId: string, startsAt: string, endsAt: string): DeviceCommand => ({
    type: 'ScheduleMaintenance',
    data: { deviceId, windowId, startsAt, endsAt, reason: 'upgrade' },
    metadata: metadata(),
  });
  const cancel = (windowId: string): DeviceCommand => ({
    type: 'CancelMaintenance',
    data: { deviceId, windowId },
    metadata: metadata(),
  });

  it('schedules a window, bounds normalised to UTC', () => {
    device
      .given([registered])
      .when(schedule('mw-2', '2025-06-01T14:00:00+02:00', '2025-06-01T16:00:00+02:00'))
      .thenEvents([
        {
          type: 'DeviceMaintenanceScheduled',
          data: {
            deviceId,
            windowId: 'mw-2',
            startsAt: '2025-06-01T12:00:00.000Z',
            endsAt: '2025-06-01T14:00:00.000Z',
            reason: 'upgrade',
            scheduledAt: at,
          },
        },
      ]);
  });

  it('rejects a window that ends before it starts', () => {
    device
      .given([registered])
      .when(schedule('mw-2', '2025-06-02T10:00:00Z', '2025-06-02T09:00:00Z'))
      .thenThrows('VALIDATION_FAILED');
  });

  it('rejects an empty window', () => {
    device
      .given([registered])
      .when(schedule('mw-2', '2025-06-02T10:00:00Z', '2025-06-02T10:00:00Z'))
      .thenThrows('VALIDATION_FAILED');
  });

  it('rejects a window that is already over', () => {
    device
      .given([registered])
      .when(schedule('mw-2', '2025-06-01T10:00:00Z', '2025-06-01T11:00:00Z'))
      .thenThrows('VALIDATION_FAILED');
  });

  it('rejects a duplicate window id', () => {
    device
      .given([registered, window1])
      .when(schedule('mw-1', '2025-06-02T10:00:00Z', '2025-06-02T11:00:00Z'))
      .thenThrows('ILLEGAL_STATE');
  });

  it('cancels a scheduled window', () => {
    device
      .given([registered, window1])
      .when(cancel('mw-1'))
      .thenEvents([
        { type: 'DeviceMaintenanceCancelled', data: { deviceId, windowId: 'mw-1', cancelledAt: at } },
      ]);
  });

  it('rejects cancelling an unknown window', () => {
    device.given([registered, window1]).when(cancel('mw-7')).thenThrows('NOT_FOUND');
  });

  it('rejects cancelling a window twice', () => {
    const cancelled: DeviceEvent = {
      type: 'DeviceMaintenanceCancelled',
      data: { deviceId, windowId: 'mw-1', cancelledAt: at },
    };
    device.given([registered, window1, cancelled]).when(cancel('mw-1')).thenThrows('NOT_FOUND');
  });

  it('isInMaintenance covers [startsAt, endsAt) of windows not cancelled', () => {
    const state = device.given([registered, window1]).state();
    expect(isInMaintenance(state, new Date('2025-06-01T12:59:59.999Z'))).toBe(false);
    expect(isInMaintenance(state, new Date('2025-06-01T13:00:00.000Z'))).toBe(true);
    expect(maintenanceWindowAt(state, new Date('2025-06-01T13:30:00.000Z'))?.windowId).toBe('mw-1');
    expect(isInMaintenance(state, new Date('2025-06-01T14:00:00.000Z'))).toBe(false);

    const cancelled: DeviceEvent = {
      type: 'DeviceMaintenanceCancelled',
      data: { deviceId, windowId: 'mw-1', cancelledAt: at },
    };
    const after = device.given([registered, window1, cancelled]).state();
    expect(isInMaintenance(after, new Date('2025-06-01T13:30:00.000Z'))).toBe(false);
  });

  it('isInMaintenance is false for unregistered and decommissioned devices', () => {
    const moment = new Date('2025-06-01T13:30:00.000Z');
    expect(isInMaintenance(device.given([]).state(), moment)).toBe(false);
    expect(isInMaintenance(device.given([registered, window1, decommissioned]).state(), moment)).toBe(false);
  });
});

describe('monitoring', () => {
  const pause: DeviceCommand = {
    type: 'PauseMonitoring',
    data: { deviceId, reason: 'rack move' },
    metadata: metadata(),
  };
  const resume: DeviceCommand = { type: 'ResumeMonitoring', data: { deviceId }, metadata: metadata() };

  it('pauses monitoring', () => {
    device
      .given([registered])
      .when(pause)
      .thenEvents([
        { type: 'DeviceMonitoringPaused', data: { deviceId, reason: 'rack move', pausedAt: at } },
      ]);
  });

  it('rejects pausing twice', () => {
    device.given([registered, paused]).when(pause).thenThrows('ILLEGAL_STATE');
  });

  it('resumes paused monitoring', () => {
    device
      .given([registered, paused])
      .when(resume)
      .thenEvents([{ type: 'DeviceMonitoringResumed', data: { deviceId, resumedAt: at } }]);
  });

  it('rejects resuming active monitoring', () => {
    device.given([registered]).when(resume).thenThrows('ILLEGAL_STATE');
  });

  it('isMonitored follows pause, resume and decommission', () => {
    expect(isMonitored(device.given([registered]).state())).toBe(true);
    expect(isMonitored(device.given([registered, paused]).state())).toBe(false);
    expect(isMonitored(device.given([registered, decommissioned]).state())).toBe(false);
  });
});

describe('DecommissionDevice', () => {
  it('decommissions an active device', () => {
    device
      .given([registered, paused])
      .when({ type: 'DecommissionDevice', data: { deviceId, reason: 'retired' }, metadata: metadata() })
      .thenEvents([
        { type: 'DeviceDecommissioned', data: { deviceId, reason: 'retired', decommissionedAt: at } },
      ]);
  });
});
