import type { RecordedEvent } from '@netpulse/domain';
import { describe, expect, it } from 'vitest';
import { TargetSet } from './target-set.js';

let position = 0;
const recorded = (type: string, data: Record<string, unknown>, organizationId = 'org-1'): RecordedEvent => {
  position += 1;
  return {
    id: `event-${position}`,
    type,
    data,
    streamId: `device-${String(data.deviceId)}`,
    streamVersion: 0n,
    globalPosition: BigInt(position),
    checkpoint: String(position),
    recordedAt: new Date(),
    metadata: {
      organizationId,
      actor: { kind: 'user', id: 'u1' },
      correlationId: 'c',
      causationId: 'c',
      schemaVersion: 1,
      hash: 'h',
      previousHash: 'h',
    },
  };
};

const registered = (deviceId: string, address = '10.0.0.1', organizationId = 'org-1') =>
  recorded(
    'DeviceRegistered',
    {
      deviceId,
      name: deviceId,
      address,
      kind: 'router',
      location: null,
      tags: [],
      parentId: null,
      probes: {
        icmp: { enabled: true, intervalSeconds: 30, packets: 3, timeoutMs: 2000 },
        snmp: null,
        tcp: null,
      },
      registeredAt: '2026-11-21T00:00:00.000Z',
    },
    organizationId,
  );

describe('TargetSet', () => {
  it('follows registration, updates, pause/resume and decommissioning', () => {
    const set = new TargetSet();
    const registration = registered('r1');
    expect(set.apply(registration).change).toMatchObject({
      kind: 'upsert',
      target: { deviceId: 'r1', paused: false },
    });
    expect(set.get('r1')).toMatchObject({
      organizationId: 'org-1',
      address: '10.0.0.1',
      causationId: registration.id,
    });

    set.apply(
      recorded('DeviceUpdated', {
        deviceId: 'r1',
        changes: { address: '10.0.0.9' },
        updatedAt: '2026-11-21T00:01:00.000Z',
      }),
    );
    expect(set.get('r1')!.address).toBe('10.0.0.9');
    expect(set.byAddress('10.0.0.1')).toBeUndefined();
    expect(set.byAddress('::ffff:10.0.0.9')!.deviceId).toBe('r1');

    set.apply(
      recorded('DeviceMonitoringPaused', {
        deviceId: 'r1',
        reason: 'rma',
        pausedAt: '2026-11-21T00:02:00.000Z',
      }),
    );
    expect(set.get('r1')!.paused).toBe(true);
    set.apply(recorded('DeviceMonitoringResumed', { deviceId: 'r1', resumedAt: '2026-11-21T00:03:00.000Z' }));
    expect(set.get('r1')!.paused).toBe(false);

    expect(
      set.apply(
        recorded('DeviceDecommissioned', {
          deviceId: 'r1',
          reason: 'gone',
          decommissionedAt: '2026-11-21T00:04:00.000Z',
        }),
      ).change,
    ).toEqual({ kind: 'remove', deviceId: 'r1' });
    expect(set.size).toBe(0);
    expect(set.byAddress('10.0.0.9')).toBeUndefined();
  });

  it('ignores status changes and rejects malformed device events without throwing', () => {
    const set = new TargetSet();
    set.apply(registered('r2'));
    expect(
      set.apply(
        recorded('DeviceStatusChanged', {
          deviceId: 'r2',
          from: 'unknown',
          to: 'up',
          reason: 'x',
          changedAt: '2026-11-21T00:00:00.000Z',
        }),
      ).change,
    ).toBeNull();
    expect(set.apply(recorded('DeviceRegistered', { deviceId: 'bad' })).rejected).toBe(true);
  });

  it('lists the organizations of the fleet', () => {
    const set = new TargetSet();
    set.apply(registered('a', '10.0.0.1', 'org-a'));
    set.apply(registered('b', '10.0.0.2', 'org-b'));
    expect(set.organizations()).toEqual(new Set(['org-a', 'org-b']));
  });
});
