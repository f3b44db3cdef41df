import {
  type AlertEvent,
  type DeviceEvent,
  deviceDecider,
  foldEvents,
  ProbeSettings,
} from '@netpulse/domain';
import { describe, expect, it } from 'vitest';
import { alertSnapshot, deviceSnapshot, instanceEvolver } from './snapshots.js';

const owned = <E extends { type: string; data: unknown }>(event: E): E =>
  ({ ...event, metadata: { organizationId: 'org-a' } }) as E;

const raised = (alertId: string, at: string): AlertEvent =>
  owned({
    type: 'AlertRaised',
    data: {
      alertId,
      alertKey: 'k1',
      deviceId: 'd1',
      ruleId: null,
      condition: 'device-down',
      severity: 'major',
      summary: 'd1 is down',
      details: {},
      raisedAt: at,
    },
  });
const operator = { kind: 'user' as const, id: 'alice' };

describe('replaying one alert instance', () => {
  const history: AlertEvent[] = [
    raised('a1', '2026-11-20T10:00:00.000Z'),
    owned({
      type: 'AlertAcknowledged',
      data: { alertId: 'a1', by: operator, note: 'on it', acknowledgedAt: '2026-11-20T10:01:00.000Z' },
    }),
    owned({
      type: 'AlertResolved',
      data: {
        alertId: 'a1',
        by: operator,
        automatic: false,
        note: null,
        resolvedAt: '2026-11-20T10:02:00.000Z',
      },
    }),
    raised('a2', '2026-11-20T11:00:00.000Z'),
  ];

  it('keeps an earlier instance’s story after its key moved on to a new instance', () => {
    const first = alertSnapshot('a1', 'k1', foldEvents(instanceEvolver('a1'), history), {
      version: 3n,
      asOf: null,
    });
    expect(first).toMatchObject({
      exists: true,
      state: 'resolved',
      acknowledgementNote: 'on it',
      resolvedBy: operator,
      resolvedAt: new Date('2026-11-20T10:02:00.000Z'),
    });
    const second = alertSnapshot('a2', 'k1', foldEvents(instanceEvolver('a2'), history), {
      version: 3n,
      asOf: null,
    });
    expect(second).toMatchObject({ exists: true, state: 'open', acknowledgedBy: null, count: 1 });
  });

  it('shows an acknowledged instance as acknowledged, and an unraised one as absent', () => {
    expect(
      alertSnapshot('a1', 'k1', foldEvents(instanceEvolver('a1'), history.slice(0, 2)), {
        version: 1n,
        asOf: null,
      }),
    ).toMatchObject({ state: 'acknowledged', acknowledgedBy: operator });
    expect(
      alertSnapshot('a2', 'k1', foldEvents(instanceEvolver('a2'), history.slice(0, 3)), {
        version: 2n,
        asOf: null,
      }),
    ).toMatchObject({ exists: false, state: null });
  });
});

describe('device snapshots', () => {
  const registered: DeviceEvent = owned({
    type: 'DeviceRegistered',
    data: {
      deviceId: 'd1',
      name: 'core',
      address: '127.0.0.1',
      kind: 'router',
      location: null,
      tags: ['core'],
      parentId: null,
      probes: ProbeSettings.parse({}),
      registeredAt: '2026-11-20T09:00:00.000Z',
    },
  });
  const window: DeviceEvent = owned({
    type: 'DeviceMaintenanceScheduled',
    data: {
      deviceId: 'd1',
      windowId: 'w1',
      startsAt: '2026-11-20T10:00:00.000Z',
      endsAt: '2026-11-20T11:00:00.000Z',
      reason: 'upgrade',
      scheduledAt: '2026-11-20T09:30:00.000Z',
    },
  });

  it('reports health, pause and maintenance as of the moment asked for', () => {
    const state = foldEvents(deviceDecider, [registered, window]);
    const during = deviceSnapshot(
      'd1',
      state,
      { version: 1n, asOf: new Date('2026-11-20T10:30:00Z') },
      new Date(),
    );
    expect(during).toMatchObject({
      exists: true,
      lifecycle: 'active',
      status: 'unknown',
      monitoringPaused: false,
      inMaintenance: true,
      tags: ['core'],
    });
    // Windows end exclusively.
    expect(
      deviceSnapshot('d1', state, { version: 1n, asOf: new Date('2026-11-20T11:00:00Z') }, new Date()),
    ).toMatchObject({ inMaintenance: false });
    expect(
      deviceSnapshot('d1', deviceDecider.initialState(), { version: null, asOf: null }, new Date()),
    ).toMatchObject({
      exists: false,
      lifecycle: 'unregistered',
    });
  });
});
