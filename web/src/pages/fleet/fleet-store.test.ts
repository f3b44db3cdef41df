import { describe, expect, it } from 'vitest';
import type { FleetDevice } from './fleet-device';
import { FleetStore } from './fleet-store';

const row = (
  deviceId: string,
  status: FleetDevice['status'],
  updatedAt: string,
  statusChangedAt: string | null = null,
): FleetDevice => ({
  deviceId,
  name: deviceId,
  address: '127.0.0.1',
  kind: 'server',
  location: null,
  tags: [],
  parentId: null,
  status,
  statusReason: null,
  statusChangedAt,
  monitoringPaused: false,
  inMaintenance: false,
  updatedAt,
  latest: { observedAt: null, rttAvgMs: null, lossPct: null },
});

describe('FleetStore', () => {
  it('keeps the newer copy when a stale page read arrives after a live event', () => {
    const store = new FleetStore();
    store.upsert([row('a', 'down', '2026-11-21T10:00:05Z', '2026-11-21T10:00:05Z')]);
    store.upsert([row('a', 'up', '2026-11-21T10:00:00Z', '2026-11-21T09:00:00Z')]);
    expect(store.get('a')?.status).toBe('down');
    store.upsert([row('a', 'up', '2026-11-21T10:01:00Z', '2026-11-21T10:01:00Z')]);
    expect(store.get('a')?.status).toBe('up');
  });

  it('drops devices a full re-read no longer returns', () => {
    const store = new FleetStore();
    store.upsert([row('a', 'up', '2026-11-21T10:00:00Z'), row('b', 'up', '2026-11-21T10:00:00Z')]);
    store.retainOnly(new Set(['b']));
    expect(store.size).toBe(1);
    expect(store.get('a')).toBeUndefined();
  });

  it('coalesces a burst of changes into one notification, and bumps the version each time', () => {
    const pending: (() => void)[] = [];
    const store = new FleetStore((flush) => pending.push(flush));
    let notified = 0;
    store.subscribe(() => {
      notified += 1;
    });
    const before = store.version();
    for (let i = 0; i < 100; i += 1) store.upsert([row(`d${i}`, 'up', '2026-11-21T10:00:00Z')]);
    expect(store.version()).toBe(before + 100);
    expect(pending).toHaveLength(1);
    pending[0]?.();
    expect(notified).toBe(1);
  });
});

describe('withStatusChange', () => {
  it('applies the event to a row read before the read model caught up, but not to a newer row', async () => {
    const { withStatusChange } = await import('./fleet-device');
    const stale = row('a', 'up', '2026-11-21T10:00:00Z', '2026-11-21T10:00:00Z');
    expect(
      withStatusChange(stale, { to: 'down', reason: 'tcp REFUSED', at: '2026-11-21T10:05:00Z' }),
    ).toMatchObject({
      status: 'down',
      statusReason: 'tcp REFUSED',
      statusChangedAt: '2026-11-21T10:05:00Z',
    });
    const newer = row('a', 'up', '2026-11-21T10:06:00Z', '2026-11-21T10:06:00Z');
    expect(withStatusChange(newer, { to: 'down', reason: 'late', at: '2026-11-21T10:05:00Z' }).status).toBe(
      'up',
    );
  });
});
