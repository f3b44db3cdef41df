import { describe, expect, it } from 'vitest';
import { recorded } from '../../testing/recorded.js';
import { type DeviceRow, foldDevice } from './device-row.js';
import { lastObservations } from './last-observation.js';

const profile = {
  deviceId: 'd1',
  name: 'core-1',
  address: '10.0.0.1',
  kind: 'router',
  location: null,
  tags: ['core'],
  parentId: null,
  probes: {},
  registeredAt: '2026-11-20T10:00:00.000Z',
};

describe('device fold', () => {
  it('folds a device history in order, and ignores events of unregistered devices', () => {
    const events = [
      recorded('device-d1', 'DeviceRegistered', profile),
      recorded('device-d1', 'DeviceUpdated', {
        deviceId: 'd1',
        changes: { tags: ['core', 'dc:1'], parentId: 'p' },
        updatedAt: '2026-11-20T10:01:00.000Z',
      }),
      recorded('device-d1', 'DeviceStatusChanged', {
        deviceId: 'd1',
        from: 'unknown',
        to: 'down',
        reason: 'no reply',
        changedAt: '2026-11-20T10:02:00.000Z',
      }),
      recorded('device-d1', 'DeviceMaintenanceScheduled', {
        deviceId: 'd1',
        windowId: 'w1',
        startsAt: '2026-11-21T00:00:00.000Z',
        endsAt: '2026-11-21T02:00:00.000Z',
        reason: 'upgrade',
        scheduledAt: '2026-11-20T10:03:00.000Z',
      }),
      recorded('device-d1', 'DeviceMonitoringPaused', { deviceId: 'd1', reason: 'move', pausedAt: 'x' }),
    ];
    const row = events.reduce<DeviceRow | null>(foldDevice, null);
    expect(row).toMatchObject({
      organization_id: 'org-a',
      tags: ['core', 'dc:1'],
      parent_id: 'p',
      status: 'down',
      status_reason: 'no reply',
      monitoring_paused: true,
      maintenance: [{ windowId: 'w1', reason: 'upgrade' }],
      updated_at: '2026-11-20T10:01:00.000Z',
    });
    const cancelled = foldDevice(
      row,
      recorded('device-d1', 'DeviceMaintenanceCancelled', {
        deviceId: 'd1',
        windowId: 'w1',
        cancelledAt: 'x',
      }),
    );
    expect(cancelled?.maintenance).toEqual([]);
    expect(
      foldDevice(null, recorded('device-d2', 'DeviceStatusChanged', { deviceId: 'd2', to: 'up' })),
    ).toBeNull();
  });

  it('keeps the newest observation per device, and ICMP and SNMP values apart', () => {
    const icmp = (at: string, rtt: number) =>
      recorded('observations-d1', 'DeviceObserved', {
        deviceId: 'd1',
        probe: 'icmp',
        observedAt: at,
        reachable: true,
        error: null,
        icmp: { rttAvgMs: rtt, lossPct: 0 },
        snmp: null,
      });
    const snmp = recorded('observations-d1', 'DeviceObserved', {
      deviceId: 'd1',
      probe: 'snmp',
      observedAt: '2026-11-20T10:00:30.000Z',
      reachable: false,
      error: { code: 'TIMEOUT', message: 'no answer' },
      icmp: null,
      snmp: { cpuPct: 12, memoryPct: 50 },
    });
    const [row] = lastObservations([
      icmp('2026-11-20T10:00:00.000Z', 1.5),
      icmp('2026-11-20T10:00:20.000Z', 2.5),
      snmp,
    ]);
    expect(row).toMatchObject({
      last_observed_at: '2026-11-20T10:00:30.000Z',
      last_probe: 'snmp',
      reachable: false,
      last_error: 'TIMEOUT: no answer',
      icmp_observed_at: '2026-11-20T10:00:20.000Z',
      rtt_avg_ms: 2.5,
      cpu_pct: 12,
    });
  });
});
