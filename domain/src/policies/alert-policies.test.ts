import { describe, expect, it } from 'vitest';
import type { AlertInstance } from '../alert/state.js';
import { deviceDecider } from '../device/decider.js';
import type { DeviceEvent } from '../device/events.js';
import { ProbeSettings } from '../device/probe-settings.js';
import { foldEvents } from '../event-store/decider.js';
import { alertInstanceIdOf, alertKeyOf } from './alert-key.js';
import { deviceAlertActions } from './device-alerts.js';
import { defaultEscalationPolicy, EscalationPolicy, escalationDue } from './escalation.js';
import { suppressionFor } from './suppression.js';

const registered = (parentId: string | null): DeviceEvent => ({
  type: 'DeviceRegistered',
  data: {
    deviceId: 'dev-1',
    name: 'dev-1',
    address: '10.0.0.1',
    kind: 'switch',
    location: null,
    tags: [],
    parentId,
    probes: ProbeSettings.parse({}),
    registeredAt: '2025-06-01T00:00:00.000Z',
  },
});
const maintenance: DeviceEvent = {
  type: 'DeviceMaintenanceScheduled',
  data: {
    deviceId: 'dev-1',
    windowId: 'mw-1',
    startsAt: '2025-06-01T12:00:00.000Z',
    endsAt: '2025-06-01T13:00:00.000Z',
    reason: 'firmware',
    scheduledAt: '2025-06-01T00:00:00.000Z',
  },
};
const device = (...events: DeviceEvent[]) => foldEvents(deviceDecider, events);
const during = new Date('2025-06-01T12:30:00.000Z');
const after = new Date('2025-06-01T13:30:00.000Z');

describe('reduction keys', () => {
  it('gives one key per device and condition or rule', () => {
    const down = alertKeyOf({ deviceId: 'dev-1', condition: 'device-down' });
    expect(alertKeyOf({ deviceId: 'dev-1', condition: 'device-down' })).toBe(down);
    expect(alertKeyOf({ deviceId: 'dev-2', condition: 'device-down' })).not.toBe(down);
    expect(alertKeyOf({ deviceId: 'dev-1', ruleId: 'device-down' })).not.toBe(down);
  });
  it('names a new instance per causing event', () => {
    const key = alertKeyOf({ deviceId: 'dev-1', ruleId: 'r1' });
    expect(alertInstanceIdOf(key, 'e1')).toBe(alertInstanceIdOf(key, 'e1'));
    expect(alertInstanceIdOf(key, 'e2')).not.toBe(alertInstanceIdOf(key, 'e1'));
  });
});

describe('suppression', () => {
  it('suppresses during a maintenance window only', () => {
    const state = device(registered(null), maintenance);
    expect(suppressionFor({ device: state, parentHealth: null, at: during })?.reason).toBe('maintenance');
    expect(suppressionFor({ device: state, parentHealth: null, at: after })).toBeNull();
  });
  it('suppresses below a down or unreachable parent', () => {
    const state = device(registered('parent-1'));
    expect(suppressionFor({ device: state, parentHealth: 'down', at: after })?.reason).toBe('parent-down');
    expect(suppressionFor({ device: state, parentHealth: 'unreachable', at: after })?.reason).toBe(
      'parent-down',
    );
    expect(suppressionFor({ device: state, parentHealth: 'up', at: after })).toBeNull();
    expect(suppressionFor({ device: state, parentHealth: 'up', unreachable: true, at: after })?.reason).toBe(
      'parent-down',
    );
  });
  it('never suppresses a device without a parent for parent reasons', () => {
    expect(suppressionFor({ device: device(registered(null)), parentHealth: 'down', at: after })).toBeNull();
  });
});

describe('device status alerts', () => {
  it('raises device-down on down and unreachable, resolves on recovery', () => {
    expect(deviceAlertActions('down')).toContainEqual({
      kind: 'raise',
      condition: 'device-down',
      severity: 'critical',
    });
    expect(deviceAlertActions('unreachable')).toContainEqual({
      kind: 'raise',
      condition: 'device-down',
      severity: 'major',
    });
    expect(deviceAlertActions('up')).toEqual([
      { kind: 'resolve', condition: 'device-down' },
      { kind: 'resolve', condition: 'device-degraded' },
    ]);
    expect(deviceAlertActions('unknown')).toEqual([]);
  });
});

describe('escalation', () => {
  const instance: AlertInstance = {
    alertId: 'a1',
    alertKey: 'k1',
    deviceId: 'dev-1',
    ruleId: null,
    condition: 'device-down',
    severity: 'critical',
    summary: 'down',
    raisedAt: '2025-06-01T12:00:00.000Z',
    lastSeenAt: '2025-06-01T12:00:00.000Z',
    count: 1,
    acknowledged: null,
    escalationLevel: 0,
    suppressed: null,
    notified: false,
    noteIds: [],
  };
  const minutes = (m: number) => new Date(Date.parse(instance.raisedAt) + m * 60_000);

  it('escalates level by level as the delays pass', () => {
    expect(escalationDue(instance, minutes(14), defaultEscalationPolicy)).toBeNull();
    expect(escalationDue(instance, minutes(15), defaultEscalationPolicy)).toBe(1);
    expect(
      escalationDue({ ...instance, escalationLevel: 1 }, minutes(20), defaultEscalationPolicy),
    ).toBeNull();
    expect(escalationDue({ ...instance, escalationLevel: 1 }, minutes(31), defaultEscalationPolicy)).toBe(2);
    expect(escalationDue(instance, minutes(31), defaultEscalationPolicy)).toBe(2);
  });
  it('leaves acknowledged and suppressed alerts alone', () => {
    const by = { kind: 'user', id: 'u' } as const;
    expect(
      escalationDue(
        { ...instance, acknowledged: { by, at: '', note: null } },
        minutes(60),
        defaultEscalationPolicy,
      ),
    ).toBeNull();
    expect(
      escalationDue(
        { ...instance, suppressed: { reason: 'maintenance', detail: '' } },
        minutes(60),
        defaultEscalationPolicy,
      ),
    ).toBeNull();
  });
  it('rejects delays that do not increase', () => {
    expect(EscalationPolicy.safeParse({ delaysMinutes: [30, 15] }).success).toBe(false);
  });
});
