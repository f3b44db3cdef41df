import { describe, expect, it } from 'vitest';
import type { DeviceStatus } from '../../graphql/schema-types';
import type { FleetDevice } from './fleet-device';
import {
  countByStatus,
  emptyFleetFilter,
  type FleetFilter,
  formatFleetFilter,
  isFiltered,
  parseFleetFilter,
  selectDevices,
} from './fleet-filter';

const device = (deviceId: string, status: DeviceStatus, extra: Partial<FleetDevice> = {}): FleetDevice => ({
  deviceId,
  name: deviceId,
  address: '127.0.0.1',
  kind: 'server',
  location: null,
  tags: [],
  parentId: null,
  status,
  statusReason: null,
  statusChangedAt: null,
  monitoringPaused: false,
  inMaintenance: false,
  updatedAt: '2026-11-21T10:00:00Z',
  latest: { observedAt: null, rttAvgMs: null, lossPct: null },
  ...extra,
});

describe('fleet filter ↔ URL', () => {
  it('has no query string when nothing is filtered', () => {
    expect(formatFleetFilter(emptyFleetFilter)).toBe('');
    expect(parseFleetFilter('')).toEqual(emptyFleetFilter);
    expect(isFiltered(emptyFleetFilter)).toBe(false);
  });

  it('round-trips every field', () => {
    const filter: FleetFilter = {
      status: ['degraded', 'down'],
      tags: ['core', 'edge'],
      location: 'AMS 1',
      text: 'rtr-01',
      sort: 'name',
    };
    const search = formatFleetFilter(filter);
    expect(search).toBe('?status=degraded%2Cdown&tags=core%2Cedge&location=AMS+1&q=rtr-01&sort=name');
    expect(parseFleetFilter(search)).toEqual(filter);
  });

  it('writes statuses in one order, so equal filters give equal URLs', () => {
    const a = formatFleetFilter({ ...emptyFleetFilter, status: ['down', 'up'] });
    const b = formatFleetFilter({ ...emptyFleetFilter, status: ['up', 'down'] });
    expect(a).toBe(b);
  });

  it('drops unknown statuses and duplicates, lower-cases tags, trims text', () => {
    expect(parseFleetFilter('?status=down,sideways,down&tags=Core,,core&q=%20x%20&sort=weird')).toEqual({
      status: ['down'],
      tags: ['core'],
      location: '',
      text: 'x',
      sort: 'status',
    });
  });
});

describe('selectDevices', () => {
  const fleet = [
    device('rtr-10', 'up', { tags: ['core', 'edge'], location: 'AMS1' }),
    device('rtr-2', 'down', { tags: ['core'], location: 'ams1' }),
    device('sw-1', 'degraded', { address: '10.0.0.5', location: 'FRA' }),
    device('fw-1', 'unreachable', { tags: ['edge'] }),
  ];

  it('sorts worst status first, then by name with numbers in order', () => {
    expect(selectDevices(fleet, emptyFleetFilter).map((d) => d.deviceId)).toEqual([
      'rtr-2',
      'fw-1',
      'sw-1',
      'rtr-10',
    ]);
    expect(selectDevices(fleet, { ...emptyFleetFilter, sort: 'name' }).map((d) => d.deviceId)).toEqual([
      'fw-1',
      'rtr-2',
      'rtr-10',
      'sw-1',
    ]);
  });

  it('filters by status, every tag, location (any case) and text in name or address', () => {
    const ids = (filter: Partial<FleetFilter>) =>
      selectDevices(fleet, { ...emptyFleetFilter, ...filter, sort: 'name' }).map((d) => d.deviceId);
    expect(ids({ status: ['down', 'unreachable'] })).toEqual(['fw-1', 'rtr-2']);
    expect(ids({ tags: ['core', 'edge'] })).toEqual(['rtr-10']);
    expect(ids({ location: 'ams1' })).toEqual(['rtr-2', 'rtr-10']);
    expect(ids({ text: 'RTR' })).toEqual(['rtr-2', 'rtr-10']);
    expect(ids({ text: '10.0.0' })).toEqual(['sw-1']);
    expect(ids({ status: ['up'], tags: ['edge'] })).toEqual(['rtr-10']);
  });

  it('counts by status', () => {
    expect(countByStatus(fleet)).toEqual({ unknown: 0, up: 1, degraded: 1, down: 1, unreachable: 1 });
  });

  it('filters and sorts 10,000 devices quickly', () => {
    const statuses: DeviceStatus[] = ['up', 'down', 'degraded', 'unknown', 'unreachable'];
    const big = Array.from({ length: 10_000 }, (_, i) =>
      device(`dev-${i}`, statuses[i % 5] as DeviceStatus, { tags: i % 3 ? ['core'] : [] }),
    );
    const started = performance.now();
    const rows = selectDevices(big, { ...emptyFleetFilter, tags: ['core'], text: 'dev-1' });
    expect(performance.now() - started).toBeLessThan(250);
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.every((row) => row.tags.includes('core') && row.name.includes('dev-1'))).toBe(true);
  });
});
