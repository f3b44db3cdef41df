import { describe, expect, it } from 'vitest';
import { type CountedDevice, fleetSummaryDeltas } from './fleet-summary-delta.js';

const device = (overrides: Partial<CountedDevice> = {}): CountedDevice => ({
  organization_id: 'org-1',
  status: 'up',
  monitoring_paused: false,
  decommissioned_at: null,
  ...overrides,
});

describe('fleetSummaryDeltas', () => {
  it('counts a registered device and moves it between statuses', () => {
    expect(fleetSummaryDeltas([{ before: null, after: device({ status: 'unknown' }) }])).toEqual([
      {
        organization_id: 'org-1',
        total: 1,
        up: 0,
        degraded: 0,
        down: 0,
        unreachable: 0,
        unknown: 1,
        monitoring_paused: 0,
      },
    ]);
    expect(fleetSummaryDeltas([{ before: device(), after: device({ status: 'down' }) }])).toEqual([
      {
        organization_id: 'org-1',
        total: 0,
        up: -1,
        degraded: 0,
        down: 1,
        unreachable: 0,
        unknown: 0,
        monitoring_paused: 0,
      },
    ]);
  });

  it('returns nothing when no count moves (same status again, a renamed device)', () => {
    expect(fleetSummaryDeltas([{ before: device(), after: device() }])).toEqual([]);
  });

  it('stops counting a decommissioned device, paused included', () => {
    expect(
      fleetSummaryDeltas([
        {
          before: device({ monitoring_paused: true }),
          after: device({ monitoring_paused: true, decommissioned_at: '2026-11-21 10:00:00+00' }),
        },
      ]),
    ).toEqual([
      {
        organization_id: 'org-1',
        total: -1,
        up: -1,
        degraded: 0,
        down: 0,
        unreachable: 0,
        unknown: 0,
        monitoring_paused: -1,
      },
    ]);
  });

  it('nets the changes of several devices per organization', () => {
    const deltas = fleetSummaryDeltas([
      { before: device(), after: device({ status: 'down' }) },
      { before: device({ status: 'down' }), after: device() },
      { before: null, after: device({ organization_id: 'org-2', monitoring_paused: true }) },
    ]);
    expect(deltas).toEqual([
      {
        organization_id: 'org-2',
        total: 1,
        up: 1,
        degraded: 0,
        down: 0,
        unreachable: 0,
        unknown: 0,
        monitoring_paused: 1,
      },
    ]);
  });
});
